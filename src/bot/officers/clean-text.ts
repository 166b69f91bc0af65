/**
 * Invisible characters that can disguise what an officer reads: every Unicode format character
 * (`\p{Cf}`: bidi embeddings, overrides and isolates U+202A–202E and U+2066–2069, the marks
 * U+200E/200F/061C, zero-width spaces and joiners U+200B–200D, U+2060–2064, U+FEFF, soft hyphen,
 * tag characters…) and the C0/C1 control characters other than tab and line feed.
 */
const INVISIBLE = /[\p{Cf}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/gu;

/**
 * Text from a reporter (or anyone outside the service) as officers may see it: line breaks made
 * plain (`\r\n`, `\r`, U+2028, U+2029 become `\n`) and every invisible character above removed, so
 * a right-to-left override or zero-width space cannot reorder or hide words, codes or numbers.
 */
export function cleanForOfficers(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, "\n").replace(INVISIBLE, "");
}
