import { createHash, timingSafeEqual } from "node:crypto";
import type { Context as HonoContext } from "hono";
import { z } from "zod";

/** The least every Telegram update has: a non-negative whole `update_id`, in a JSON object. */
const updateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

/** The header Telegram sends the webhook secret in. */
const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/**
 * Whether a webhook request carries the right secret but a body that cannot be a Telegram update
 * (not JSON, not an object, no `update_id`): such a request is answered 400 and never reaches the
 * bot. A request without the right secret is left to grammY, which answers 401 without reading it.
 */
export async function isMalformedUpdate(c: HonoContext, secret: string): Promise<boolean> {
  const given = c.req.header(SECRET_HEADER);
  if (given === undefined || !sameSecret(given, secret)) return false;
  try {
    // Hono keeps the parsed body, so grammY reads the same one afterwards.
    return !updateShape.safeParse(await c.req.json()).success;
  } catch {
    return true;
  }
}

/** The digest of the configured secret, worked out once (the secret does not change while running). */
let expectedDigest: { secret: string; digest: Buffer } | undefined;

function sameSecret(given: string, expected: string): boolean {
  if (expectedDigest?.secret !== expected) expectedDigest = { secret: expected, digest: digest(expected) };
  return timingSafeEqual(digest(given), expectedDigest.digest);
}

/** Equal-length digests, so the comparison takes the same time whatever the length given. */
function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}
