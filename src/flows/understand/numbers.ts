/** Number words up to ten, Indonesian and English. */
const WORDS: Record<string, number> = {
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  enam: 6,
  tujuh: 7,
  delapan: 8,
  sembilan: 9,
  sepuluh: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/**
 * The one count a short typed answer gives ("5", "5 orang", "mungkin 5an", "sekitar tiga", "about 3
 * people", "lebih dari 10" as 11), or `undefined` when it gives none or several ("2 sampai 5" is a
 * range: the options say it better).
 */
export function countIn(text: string): number | undefined {
  if (text.length > 80) return undefined;
  const lower = text.toLowerCase();
  const found = new Set<number>();
  for (const m of lower.matchAll(/(?<![\d.,:/])(\d{1,5})(?:-?an)?(?![\d.,:/])/g)) found.add(Number(m[1]));
  for (const word of lower.split(/[^a-z]+/)) {
    const n = WORDS[word];
    if (n !== undefined) found.add(n);
  }
  if (found.size !== 1) return undefined;
  const n = [...found][0]!;
  return /\b(lebih dari|more than|over)\b/.test(lower) ? n + 1 : n;
}
