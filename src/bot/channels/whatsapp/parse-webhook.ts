import { toInbound, type WhatsAppInboundItem } from "./to-inbound.ts";
import { verifySignature } from "./verify-signature.ts";
import { webhookPayloadSchema } from "./webhook-schema.ts";

/** What the `POST /whatsapp/webhook` handler should do with one delivery. */
export type ParseWebhookResult =
  | { status: 200; items: WhatsAppInboundItem[] }
  /** Bad or missing signature: answer 401 and store nothing. */
  | { status: 401 }
  /** Signed, but not JSON or not a WhatsApp payload. `reason` is safe to log (no content). */
  | { status: 400; reason: "json" | "schema" };

/**
 * The whole pure edge of a webhook `POST`: signature over the raw bytes first, then JSON, then the zod
 * schema, then {@link toInbound}. Nothing is parsed before the signature checks out.
 *
 * Gotcha: Meta redelivers anything not answered with 200 for days. A signed payload that fails the schema will
 * never parse, so the adapter may prefer to log the 400 result and still answer 200.
 */
export function parseWebhook(
  rawBody: Uint8Array,
  signatureHeader: string | undefined,
  appSecret: string,
): ParseWebhookResult {
  if (!verifySignature(rawBody, signatureHeader, appSecret)) return { status: 401 };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString("utf8"));
  } catch {
    return { status: 400, reason: "json" };
  }
  const payload = webhookPayloadSchema.safeParse(json);
  if (!payload.success) return { status: 400, reason: "schema" };
  return { status: 200, items: toInbound(payload.data) };
}
