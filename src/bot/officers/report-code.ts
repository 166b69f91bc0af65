/**
 * Public report codes like `REF-7K3M-9QX2`: a neutral prefix and 8 characters from an alphabet
 * without look-alikes (no 0, O, 1, I, L), about 40 bits. The code is not a secret (the PIN is);
 * it only has to be unguessable enough not to be enumerated and easy to read out on the phone. The
 * prefix says nothing about what the code is for, so a code seen on someone's phone does not give
 * them away. Codes issued before read `TPPO-…` and are still accepted with that prefix (see
 * {@link normalizeReportCode}). Other codes on the same alphabet (family codes, `KLG-…`) pass their
 * own `prefix`.
 */
export function generateReportCode(randomBytes: (n: number) => Uint8Array, prefix = PREFIX): string {
  const chars: string[] = [];
  while (chars.length < BODY_LENGTH) {
    for (const byte of randomBytes(BODY_LENGTH * 2)) {
      // Rejection sampling keeps every character equally likely.
      if (byte >= LIMIT) continue;
      chars.push(CODE_ALPHABET[byte % CODE_ALPHABET.length] as string);
      if (chars.length === BODY_LENGTH) break;
    }
  }
  return format(chars.join(""), prefix);
}

/** Characters a code body may contain. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

const PREFIX = "REF";
/** The prefix of codes issued before the neutral one; those are stored and accepted as they are. */
const OLD_PREFIX = "TPPO";
const BODY_LENGTH = 8;
const LIMIT = 256 - (256 % CODE_ALPHABET.length);
const CANONICAL = new RegExp(`^(${PREFIX}|${OLD_PREFIX})-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`);

/**
 * The canonical code for what a person typed, or `undefined` when it cannot be one. Tolerates
 * lowercase, spaces, dots, and missing or extra dashes. Without a prefix the code is read as a
 * current (`REF`) one; typed with the old `TPPO` prefix it stays an old code, stored as such.
 */
export function normalizeReportCode(input: string): string | undefined {
  if (input.length > 60) return undefined;
  let s = input.toUpperCase().replace(/[\s._\-–—]/g, "");
  let prefix = PREFIX;
  for (const known of [PREFIX, OLD_PREFIX]) {
    if (s.length === known.length + BODY_LENGTH && s.startsWith(known)) {
      s = s.slice(known.length);
      prefix = known;
    }
  }
  if (s.length !== BODY_LENGTH) return undefined;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return format(s, prefix);
}

/** Whether `s` is a code in canonical form (`REF-XXXX-XXXX`, or an old `TPPO-XXXX-XXXX`). */
export function isReportCode(s: string): boolean {
  return CANONICAL.test(s);
}

function format(body: string, prefix = PREFIX): string {
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}`;
}
