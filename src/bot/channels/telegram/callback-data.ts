import { createHash } from "node:crypto";

/**
 * Inline keyboard `callback_data` for choice ids. Telegram allows 1–64 bytes of UTF-8.
 *
 * Scheme: an id that fits in 64 bytes, is well-formed UTF-16 and does not start with `~` is sent as it is,
 * so the usual short ASCII ids round-trip without any state. Every other id is sent as `~` plus 22 base64url
 * characters of its SHA-256 (132 bits, 23 bytes). A hashed form can only be mapped back against the ids the
 * flow offered; {@link decodeCallbackData} does that when given them, and {@link resolveChoiceId} does it
 * for a choice that {@link toInbound} left hashed. An unmatched hash stays an unknown id, which the engine
 * treats like any stale button.
 */
export function encodeCallbackData(id: string): string {
  if (isPlain(id)) return id;
  return hashedForm(id);
}

/**
 * `callback_data` of the button under a code + PIN message that deletes it (`erase-message.ts`). Flows'
 * choice ids never start with `!`, so it is never taken for a choice.
 */
export const ERASE_CALLBACK_DATA = "!erase";

/** Longest `callback_data` Telegram accepts, in UTF-8 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

const HASH_PREFIX = "~";

/**
 * Maps `callback_data` back to a choice id. Plain data is the id itself. Hashed data is looked up in
 * `offeredIds` and comes back unchanged (still hashed) when no offered id matches or none are given.
 */
export function decodeCallbackData(data: string, offeredIds?: Iterable<string>): string {
  if (!isHashed(data) || offeredIds === undefined) return data;
  for (const id of offeredIds) {
    if (hashedForm(id) === data) return id;
  }
  return data;
}

/** Resolves a choice id from {@link toInbound} against the ids the current step offers (see the scheme above). */
export function resolveChoiceId(id: string, offeredIds: Iterable<string>): string {
  return decodeCallbackData(id, offeredIds);
}

/** True when `data` is the hashed form, i.e. it needs the offered ids to be decoded. */
export function isHashed(data: string): boolean {
  return data.startsWith(HASH_PREFIX);
}

function isPlain(id: string): boolean {
  if (id.length === 0 || id.startsWith(HASH_PREFIX)) return false;
  const bytes = Buffer.from(id, "utf8");
  return bytes.length <= MAX_CALLBACK_DATA_BYTES && bytes.toString("utf8") === id;
}

function hashedForm(id: string): string {
  return HASH_PREFIX + createHash("sha256").update(id, "utf8").digest("base64url").slice(0, 22);
}
