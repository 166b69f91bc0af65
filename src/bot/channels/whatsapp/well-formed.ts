/**
 * Replaces lone surrogates (half an emoji) with U+FFFD, so every string sent to the Graph API is valid
 * UTF-8 on the wire.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE_ALL, "\uFFFD");
}

/** True when `text` contains half a surrogate pair. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, "g");
