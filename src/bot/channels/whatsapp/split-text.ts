/**
 * Text helpers for WhatsApp's length limits. Lengths are counted in UTF-16 code units (JavaScript `length`),
 * which is never less than the number of characters WhatsApp counts, so a piece that fits here fits there.
 * No helper ever cuts between the two halves of a surrogate pair (emoji).
 */

/** Splits `text` into pieces of at most `limit`, preferring paragraph, line, sentence, then word boundaries. */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head) pieces.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

/**
 * Splits `text` so the last piece fits `tailLimit` (e.g. an interactive body) and every earlier piece fits
 * `limit`. The tail starts at the best boundary near its end, so the question before the buttons stays whole.
 */
export function splitWithTail(
  text: string,
  limit: number,
  tailLimit: number,
): { head: string[]; tail: string } {
  if (text.length <= tailLimit) return { head: [], tail: text };
  const from = text.length - tailLimit;
  const start = findTailStart(text, from);
  return { head: splitText(text.slice(0, start), limit), tail: text.slice(start).trim() };
}

/**
 * Shortens a label to `max` units: at a word boundary when one is reasonably close, then "…".
 * Returns the label unchanged when it fits.
 */
export function shortenLabel(label: string, max: number): string {
  const clean = label.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const room = safeEnd(clean, max - 1);
  let cut = clean.slice(0, room);
  const space = cut.lastIndexOf(" ");
  if (space >= Math.floor(max / 2)) cut = cut.slice(0, space);
  cut = cut.replace(/[\s,;:.\-–—(/]+$/u, "");
  return `${cut || clean.slice(0, room)}…`;
}

/** Replaces lone surrogates with U+FFFD so every piece is valid UTF-8 on the wire. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** True when `text` contains half a surrogate pair. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const BOUNDARIES: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…]["')\]]*\s/g, /\s/g];

/** Index to cut `text` at so the head is at most `limit` long and ends on the best boundary found. */
function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const min = Math.floor(limit / 3);
  for (const boundary of BOUNDARIES) {
    let best = -1;
    for (const m of window.matchAll(boundary)) {
      const end = m.index + m[0].length;
      if (m.index >= min && m.index <= limit) best = Math.min(end, limit);
    }
    if (best > 0) return best;
  }
  return safeEnd(text, limit);
}

/** Start of the tail: the first boundary at or after `from`, of the best kind available. */
function findTailStart(text: string, from: number): number {
  const max = text.length - 1;
  for (const boundary of BOUNDARIES) {
    for (const m of text.matchAll(boundary)) {
      const start = m.index + m[0].length;
      if (start >= from && start <= max && text.slice(start).trim()) return start;
    }
  }
  const code = text.charCodeAt(from);
  return code >= 0xdc00 && code <= 0xdfff ? from + 1 : from;
}

/** `end`, moved back by one if it would split a surrogate pair. */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
