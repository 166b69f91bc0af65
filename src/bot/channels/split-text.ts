/**
 * Splits `text` into trimmed, non-empty parts of at most `limit` UTF-16 code units, for any channel's
 * limit (Telegram text 4096, caption 1024; WhatsApp text 4096, interactive body 1024). Counting code
 * units is safe: it is never less than the characters Telegram or WhatsApp count.
 *
 * A part ends at the last paragraph break, else line break, else sentence end, else space in the second
 * half of its window, and only then hard, at a grapheme boundary, never inside a surrogate pair. Only
 * whitespace is dropped: the parts joined with whitespace (`"\n\n"` where the text had a paragraph break)
 * have the same non-whitespace content in the same order. Whitespace-only text gives no parts.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError("limit must be at least 2");
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * Splits `text` so the last part fits `tailLimit` (e.g. an interactive body under buttons) and every earlier
 * part fits `limit`. The tail starts at the first boundary of the best kind after the point where it would
 * fit, so the question before the buttons stays whole. The tail is empty only when `text` is blank.
 */
export function splitWithTail(
  text: string,
  limit: number,
  tailLimit: number,
): { head: string[]; tail: string } {
  const clean = text.trim();
  if (clean.length <= tailLimit) return { head: [], tail: clean };
  const start = findTailStart(clean, clean.length - tailLimit);
  return { head: splitText(clean.slice(0, start), limit), tail: clean.slice(start).trim() };
}

/** Cut candidates, best first; `keep` means the matched text stays at the end of the part. */
const BOUNDARIES: readonly { pattern: RegExp; keep: boolean }[] = [
  { pattern: /\n[^\S\n]*\n/g, keep: false },
  { pattern: /\n/g, keep: false },
  { pattern: /[.!?…。][)\]"'»”’]*(?=\s)/g, keep: true },
  { pattern: /\s/g, keep: false },
];

function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const min = Math.floor(limit / 2);
  for (const { pattern, keep } of BOUNDARIES) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      // A whitespace boundary may sit right at `limit`: the part before it still fits.
      const end = match.index + (keep ? match[0].length : 0);
      if (end >= min && end <= limit) best = end;
    }
    if (best > 0) return best;
  }
  return hardCut(text, limit);
}

/** Start of the tail: the first boundary at or after `from` that leaves text after it, best kind first. */
function findTailStart(text: string, from: number): number {
  for (const { pattern } of BOUNDARIES) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index + match[0].length;
      if (start >= from && text.slice(start).trim()) return start;
    }
  }
  const code = text.charCodeAt(from);
  return code >= 0xdc00 && code <= 0xdfff ? from + 1 : from;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function hardCut(text: string, limit: number): number {
  let cut = 0;
  for (const { index } of graphemes.segment(text.slice(0, limit + 1))) {
    if (index > limit) break;
    cut = index;
  }
  if (cut >= limit / 2) return cut;
  // A single huge grapheme (e.g. thousands of combining marks): cut it, but keep surrogate pairs whole.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
