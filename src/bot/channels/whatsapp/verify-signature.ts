import { createHmac, timingSafeEqual } from "node:crypto";

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256` (`sha256=<hex HMAC-SHA256(appSecret, raw body)>`) in constant time.
 *
 * Gotcha: pass the raw request bytes exactly as received. Re-serialised JSON (even with identical content)
 * does not verify. Returns false for a missing or malformed header and for an empty app secret.
 */
export function verifySignature(rawBody: Uint8Array, header: string | undefined, appSecret: string): boolean {
  if (!appSecret || typeof header !== "string") return false;
  const match = HEADER.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
