/**
 * Splits `text` into trimmed, non-empty parts of at most `limit` UTF-16 code units (Telegram's 4096 limit is
 * safe to count this way: it is never more than the number of characters). It cuts at the last paragraph
 * break, else line break, else sentence end, else space in the second half of a window, and only then hard,
 * at a grapheme boundary, never inside a surrogate pair. Whitespace-only text gives no parts.
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
