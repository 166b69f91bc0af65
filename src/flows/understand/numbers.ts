import { normalise } from "./normalise.ts";

/**
 * The one count a short typed answer gives ("5", "5 orang", "mungkin 5an", "sekitar tiga", "hampir 10",
 * "dua puluh", "about 3 people"), or `undefined` when it gives none or several ("2 sampai 5" is a range:
 * the options say it better). A bound is taken as the number said: "lebih dari 10", "more than 10" and
 * "> 10" give 10, the count the person knows of, not a number nobody said. Number words are read by
 * {@link normalise}.
 */
export function countIn(text: string): number | undefined {
  if (text.length > 80) return undefined;
  const words = normalise(text).map((t) => t.forms[0] ?? "");
  const found = new Set<number>();
  for (const word of words) {
    const m = /^(\d{1,5})(an)?$/.exec(word);
    if (m) found.add(Number(m[1]));
  }
  return found.size === 1 ? [...found][0] : undefined;
}
