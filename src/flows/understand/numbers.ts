import { normalise } from "./normalise.ts";

/**
 * The one count a short typed answer gives ("5", "5 orang", "mungkin 5an", "sekitar tiga", "dua puluh",
 * "about 3 people", "lebih dari 10" as 11), or `undefined` when it gives none or several ("2 sampai 5"
 * is a range: the options say it better). Number words are read by {@link normalise}.
 */
export function countIn(text: string): number | undefined {
  if (text.length > 80) return undefined;
  const words = normalise(text).map((t) => t.forms[0] ?? "");
  const found = new Set<number>();
  for (const word of words) {
    const m = /^(\d{1,5})(an)?$/.exec(word);
    if (m) found.add(Number(m[1]));
  }
  if (found.size !== 1) return undefined;
  const n = [...found][0]!;
  const said = ` ${words.join(" ")} `;
  return / (lebih dari|more than|over) /.test(said) ? n + 1 : n;
}
