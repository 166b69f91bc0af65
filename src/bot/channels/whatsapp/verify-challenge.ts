import { createHash, timingSafeEqual } from "node:crypto";

/** The webhook verification answer: echo the challenge as text/plain, or 403. */
export type ChallengeResult = { status: 200; body: string } | { status: 403 };

/** Meta sends a numeric challenge; anything else is not echoed back. */
const CHALLENGE = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * Answers the `GET /whatsapp/webhook` subscription check (`hub.mode=subscribe`, `hub.verify_token`,
 * `hub.challenge`). The token comparison is constant-time.
 */
export function verifyChallenge(
  query: URLSearchParams | Record<string, string | undefined>,
  verifyToken: string,
): ChallengeResult {
  const get = (key: string): string | undefined =>
    query instanceof URLSearchParams ? (query.get(key) ?? undefined) : query[key];
  const mode = get("hub.mode");
  const token = get("hub.verify_token");
  const challenge = get("hub.challenge");
  if (mode !== "subscribe" || !verifyToken || token === undefined || challenge === undefined) {
    return { status: 403 };
  }
  if (!CHALLENGE.test(challenge) || !sameSecret(token, verifyToken)) return { status: 403 };
  return { status: 200, body: challenge };
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b)) && a === b;
}
