/**
 * Shortens a label (button title, list row, template parameter) to `max` UTF-16 units: whitespace is
 * collapsed, the cut falls at a word boundary when one is reasonably close and never inside a surrogate pair,
 * and "…" marks it. Returns the collapsed label unchanged when it fits.
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

/** `end`, moved back by one if it would split a surrogate pair. */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
