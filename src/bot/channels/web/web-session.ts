import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Web chat sessions without server state: a random id plus a keyed tag, so the server recognises its
 * own sessions without storing them, and an id made up by anyone else is refused before anything is
 * written. The browser keeps the token in `sessionStorage` only; the server stores only the pseudonym
 * of it (the conversation key).
 */
export function newSessionToken(key: Buffer): string {
  const id = randomBytes(18).toString("base64url");
  return `${id}.${tag(key, id)}`;
}

/** Whether `token` is one this server issued. */
export function isSessionToken(key: Buffer, token: unknown): token is string {
  if (typeof token !== "string" || token.length > 80) return false;
  const [id, given, extra] = token.split(".");
  if (!id || !given || extra !== undefined || !/^[A-Za-z0-9_-]{24}$/.test(id)) return false;
  const expected = Buffer.from(tag(key, id));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function tag(key: Buffer, id: string): string {
  return createHmac("sha256", key).update(`web-session:${id}`).digest().subarray(0, 16).toString("base64url");
}
