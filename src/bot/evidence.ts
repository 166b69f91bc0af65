import sharp from "sharp";
import type { Sealer } from "../storage/crypto.ts";
import { sha256Hex } from "../storage/crypto.ts";
import type { Database } from "../storage/database.ts";

/** Upload limits for evidence. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
const IMAGE_TYPES = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/heic",
  "image/heif",
  "image/gif",
  "image/tiff",
]);
const DOCUMENT_TYPES = new Set(["application/pdf"]);

export type EvidenceResult =
  | { ok: true; id: string; kind: "photo" | "document"; mime: string; size: number }
  | { ok: false; reason: "too_large" | "unsupported_type" | "unreadable" };

/**
 * Stores an uploaded photo or document as evidence for a conversation's report draft. Images are
 * re-encoded with sharp, which drops EXIF, GPS and every other metadata; the result is sealed.
 * PDFs are kept as they are (size-limited). Anything else is refused.
 */
export async function storeEvidence(
  db: Database,
  sealer: Sealer,
  conversationKey: string,
  input: { bytes: Uint8Array; mime?: string | undefined },
): Promise<EvidenceResult> {
  if (input.bytes.byteLength > EVIDENCE_MAX_BYTES) return { ok: false, reason: "too_large" };
  const mime = (input.mime ?? "").toLowerCase().split(";")[0]!.trim();
  let data: Buffer;
  let kind: "photo" | "document";
  let storedMime: string;
  if (IMAGE_TYPES.has(mime) || (mime === "" && (await looksLikeImage(input.bytes)))) {
    try {
      data = await sharp(input.bytes, { limitInputPixels: 50_000_000 })
        .rotate()
        .resize({ width: 4096, height: 4096, fit: "inside", withoutEnlargement: true })
        .jpeg({ quality: 85 })
        .toBuffer();
    } catch {
      return { ok: false, reason: "unreadable" };
    }
    kind = "photo";
    storedMime = "image/jpeg";
  } else if (DOCUMENT_TYPES.has(mime)) {
    const bytes = Buffer.from(input.bytes);
    if (!bytes.subarray(0, 5).equals(Buffer.from("%PDF-"))) return { ok: false, reason: "unreadable" };
    data = bytes;
    kind = "document";
    storedMime = mime;
  } else {
    return { ok: false, reason: "unsupported_type" };
  }
  const row = await db.transaction((tx) =>
    tx.evidence.create({
      data: {
        conversationKey,
        kind,
        mime: storedMime,
        size: data.byteLength,
        sha256: sha256Hex(data),
        dataSealed: new Uint8Array(sealer.seal(data)),
      },
      select: { id: true },
    }),
  );
  return { ok: true, id: row.id, kind, mime: storedMime, size: data.byteLength };
}

async function looksLikeImage(bytes: Uint8Array): Promise<boolean> {
  try {
    await sharp(bytes).metadata();
    return true;
  } catch {
    return false;
  }
}

/** What an officer sees instead of an evidence file that is gone (purged or deleted). */
export const EVIDENCE_GONE_TEXT = "Berkas tidak tersedia lagi.";

/**
 * The file name an evidence file is sent under: the given base (e.g. `TPPO-7K3M-9QX2-1`) and an
 * extension for the stored type. Never the uploader's original name, which may identify them.
 */
export function evidenceFileName(base: string | undefined, mime: string): string {
  const ext = mime === "image/jpeg" ? "jpg" : mime === "application/pdf" ? "pdf" : "bin";
  return `${base ?? "bukti"}.${ext}`;
}

/** Opens stored evidence for an officer (decrypted bytes and type). */
export async function readEvidence(
  db: Database,
  sealer: Sealer,
  id: string,
): Promise<{ bytes: Buffer; mime: string; kind: string } | undefined> {
  const row = await db.prisma.evidence.findUnique({ where: { id } });
  if (!row) return undefined;
  return { bytes: sealer.open(row.dataSealed), mime: row.mime, kind: row.kind };
}
