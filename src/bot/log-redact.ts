/** What a redacted value becomes in a log line. */
export const REDACTED = "[redacted]";

/** Key names (compared lower-case, without `_` and `-`) whose values never appear in logs. */
const SENSITIVE_KEYS = new Set([
  "text",
  "body",
  "caption",
  "narrative",
  "chatid",
  "userid",
  "phone",
  "phonenumber",
  "waid",
  "wamid",
  "address",
  "pin",
  "password",
  "authorization",
  "firstname",
  "lastname",
  "username",
  "xhubsignature256",
]);
/** Key endings that always mean a secret: `token`, `accessToken`, `appSecret`, `x-…-secret-token`… */
const SENSITIVE_ENDINGS = ["token", "secret", "password", "phone"];
/** Deeper than this, values are replaced as a whole (log objects are small; this bounds the walk). */
const MAX_DEPTH = 8;

/** Whether a key's value must be redacted, by name pattern. */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, "");
  return SENSITIVE_KEYS.has(k) || SENSITIVE_ENDINGS.some((end) => k.endsWith(end));
}

/**
 * A copy of a log object with the value of every sensitive key replaced by {@link REDACTED}, at any
 * depth: plain objects, arrays, errors (their own fields included, e.g. an API error's payload) and
 * maps. Other values (dates, buffers, class instances) are kept as they are.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return REDACTED;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
    if (value instanceof Map) {
      return Object.fromEntries([...value].map(([k, v]) => [String(k), field(String(k), v, depth, seen)]));
    }
    if (value instanceof Error) {
      const out: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
      for (const [k, v] of Object.entries(value)) out[k] = field(k, v, depth, seen);
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = field(k, v, depth, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

function field(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (isSensitiveKey(key) && value !== undefined && value !== null) return REDACTED;
  return redactDeep(value, depth + 1, seen);
}
