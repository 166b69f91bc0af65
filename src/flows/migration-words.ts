/**
 * The typo-tolerant word matching behind the safe-migration check's free-text readers
 * (`migration-places.ts`, `migration-text.ts`). In their lists, `=` marks a word that must be typed
 * exactly; any other word forgives a typo or two.
 */

/** "I don't know (yet)" in the words people type. */
export const UNKNOWN =
  /\b(belum|blm|tidak|tdk|gak|ga|gk|nggak|ngga|enggak|kurang)\s*(tahu|tau|jelas|pasti|yakin)\b|\b(don'?t|do not|dont) know\b|\bnot sure\b|\bunknown\b|\bno idea\b|\bidk\b|^[?\-.\s]+$/;

/** Lower case, accents dropped, letters typed three or more times cut to one, spaces collapsed. */
export function plain(text: string): string {
  return text
    .slice(0, 500)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** The words and numbers of a {@link plain} text. */
export function words(normal: string): string[] {
  return normal.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether any entry of `list` starts at any token, typos forgiven as {@link matchAt} does. */
export function found(tokens: string[], list: readonly string[]): boolean {
  return tokens.some((_, i) => list.some((entry) => matchAt(tokens, i, entry) !== undefined));
}

/** Whether `entry` (one or more words) starts at token `i`, and how many typos it took. */
export function matchAt(
  tokens: string[],
  i: number,
  entry: string,
): { cost: number; size: number } | undefined {
  const exact = entry.startsWith("=");
  const parts = (exact ? entry.slice(1) : entry).split(" ");
  let cost = 0;
  for (const [k, part] of parts.entries()) {
    const token = tokens[i + k];
    if (token === undefined) return undefined;
    const c = nearness(token, part, exact);
    if (c === undefined) return undefined;
    cost += c;
  }
  return { cost, size: parts.length };
}

/**
 * 0 for the word itself (or with "-nya"), else the number of typos when forgiven: none under five
 * letters, one up to seven, two from eight; the first letter must be right.
 */
function nearness(token: string, word: string, exact: boolean): number | undefined {
  const forms =
    token.length > word.length + 2 && token.endsWith("nya") ? [token, token.slice(0, -3)] : [token];
  if (forms.includes(word)) return 0;
  if (exact || word.length < 5) return undefined;
  const max = word.length >= 8 ? 2 : 1;
  let best: number | undefined;
  for (const form of forms) {
    if (form[0] !== word[0] || Math.abs(form.length - word.length) > max) continue;
    const d = distance(form, word);
    if (d <= max && (best === undefined || d < best)) best = d;
  }
  return best;
}

/** Edit distance with swaps of neighbouring letters (optimal string alignment). */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const up = rows[i - 1] as number[];
      const sub = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + sub);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = d;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
