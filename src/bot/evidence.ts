import { randomUUID } from "node:crypto";
import { type Sealer, sealedAt } from "../storage/crypto.ts";
import type { Database } from "../storage/database.ts";
import { findEvidence, insertEvidence } from "../storage/evidence.ts";
import { decodeEvidence } from "./evidence-decode.ts";

/** Upload limits for evidence. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

export type EvidenceResult =
  | { ok: true; id: string; kind: "photo" | "document"; mime: string; size: number }
  | { ok: false; reason: "too_large" | "unsupported_type" | "unreadable" };

/**
 * Stores an uploaded photo or document as evidence for a conversation's report draft. The type is
 * read from the bytes, never from the declared `mime` (kept for the callers' shape only): JPEG, PNG,
 * WebP, HEIC and GIF are re-encoded as JPEG without any metadata, PDFs are rebuilt from their pages
 * without metadata, scripts, attachments, forms or annotations (see evidence-decode.ts). Only the
 * clean copy is kept, sealed; no hash of the original. Anything else is refused.
 */
export async function storeEvidence(
  db: Database,
  sealer: Sealer,
  conversationKey: string,
  input: { bytes: Uint8Array; mime?: string | undefined },
): Promise<EvidenceResult> {
  if (input.bytes.byteLength > EVIDENCE_MAX_BYTES) return { ok: false, reason: "too_large" };
  const clean = await decodeEvidence(input.bytes);
  if (!clean.ok) return clean;
  const { kind, mime, bytes } = clean;
  // The id is chosen here so the bytes can be sealed bound to their row.
  const id = randomUUID();
  await insertEvidence(db, {
    id,
    conversationKey,
    kind,
    mime,
    size: bytes.byteLength,
    dataSealed: new Uint8Array(sealer.seal(bytes, sealedAt.evidenceData(id))),
  });
  return { ok: true, id, kind, mime, size: bytes.byteLength };
}

/** What an officer sees instead of an evidence file that is gone (purged or deleted). */
export const EVIDENCE_GONE_TEXT = "Berkas tidak tersedia lagi.";

/**
 * The file name an evidence file is sent under: the given base (e.g. `REF-7K3M-9QX2-1`) and an
 * extension for the stored type. Never the uploader's original name, which may identify them.
 */
export function evidenceFileName(base: string | undefined, mime: string): string {
  const ext = mime === "image/jpeg" ? "jpg" : mime === "application/pdf" ? "pdf" : "bin";
  return `${base ?? "bukti"}.${ext}`;
}

/**
 * Opens stored evidence for an officer (decrypted bytes and type); undefined when it is gone, or
 * when its bytes do not open at its row (copied there from another file, or altered; the sealer
 * logs the place), so such a file is never sent.
 */
export async function readEvidence(
  db: Database,
  sealer: Sealer,
  id: string,
): Promise<{ bytes: Buffer; mime: string; kind: string } | undefined> {
  const row = await findEvidence(db, id);
  const bytes = row && sealer.tryOpen(row.dataSealed, sealedAt.evidenceData(id));
  return row && bytes ? { bytes, mime: row.mime, kind: row.kind } : undefined;
}
