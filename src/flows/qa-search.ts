import { create, insertMultiple, type Results, type SearchParams, search } from "@orama/orama";
import { language as enLanguage, stemmer as enStemmer } from "@orama/stemmers/english";
import { language as idLanguage, stemmer as idStemmer } from "@orama/stemmers/indonesian";
import { allCatalogs } from "./content/catalog.ts";
import type { Lang } from "./message.ts";

/** One question and answer of the knowledge base (`content/<lang>/qa.yaml`). */
export type QaEntry = { id: string; question: string; answer: string };

/** At most this many entries come back: the best match and two more to offer. */
const MAX_RESULTS = 3;
/** Share of the query's meaningful words an entry must contain to count as a match (partial and typo matches count half). */
const MIN_COVERAGE = 0.4;
/** Entries scoring below this share of the best entry's score are dropped. */
const MIN_RELATIVE_SCORE = 0.3;

/**
 * Full-text search over the knowledge base of `lang`, best match first, at most three entries;
 * `[]` when nothing matches well. Synchronous: Orama 3 only goes async when a plugin adds search
 * hooks, which this index has none of (a Promise would throw here rather than slip through).
 * Words are stemmed (Indonesian or English), one typo per word is forgiven, and the question
 * weighs more than the answer. An entry counts only if it contains enough of the query's
 * meaningful words, so unrelated queries ("pizza recipe") find nothing.
 */
export function searchQa(lang: Lang, query: string): QaEntry[] {
  const { db, byId, stopWords } = indexFor(lang);
  const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter(
    (w) => w.length > 1 && !stopWords.has(w),
  );
  if (words.length === 0) return [];

  // Coverage per entry: a word found as written (after stemming) counts 1; one found only as the
  // start of a longer word or with a typo counts 0.5 ("car" in "carer", "pasport").
  const coverage = new Map<string, number>();
  for (const word of words) {
    const credit = new Map<string, number>();
    const tolerance = word.length >= 5 ? 1 : 0;
    for (const hit of run(db, { term: word, properties: fields, tolerance, limit: 100 }).hits)
      credit.set(hit.id, 0.5);
    for (const hit of run(db, { term: word, properties: fields, exact: true, limit: 100 }).hits)
      credit.set(hit.id, 1);
    for (const [id, c] of credit) coverage.set(id, (coverage.get(id) ?? 0) + c / words.length);
  }

  const ranked = run(db, {
    term: words.join(" "),
    properties: fields,
    boost: { question: 2 },
    tolerance: 1,
    threshold: 1,
    limit: 100,
  }).hits.filter((hit) => (coverage.get(hit.id) ?? 0) >= MIN_COVERAGE);
  const best = ranked[0]?.score ?? 0;
  return ranked
    .filter((hit) => hit.score >= best * MIN_RELATIVE_SCORE)
    .slice(0, MAX_RESULTS)
    .flatMap((hit) => byId.get(hit.id) ?? []);
}

/** One entry by id, or `undefined`. */
export function qaEntry(lang: Lang, id: string): QaEntry | undefined {
  return indexFor(lang).byId.get(id);
}

/** All entries of `lang` in the order of the YAML file. */
export function qaEntries(lang: Lang): QaEntry[] {
  return [...indexFor(lang).byId.values()];
}

const fields: ("question" | "answer")[] = ["question", "answer"];

const schema = { id: "string", question: "string", answer: "string" } as const;

/** Small function words that would otherwise match every entry. */
const stopWordLists: Record<Lang, string[]> = {
  id: [
    ..."yang di ke dari dan atau apa apakah bagaimana gimana saya aku sy gue kami kita anda kamu itu ini".split(
      " ",
    ),
    ..."untuk utk dengan dgn ada adalah jika kalau kalo kl akan sudah udah sih dong ya tolong mohon".split(
      " ",
    ),
    ..."bisa dapat mau ingin pada oleh juga lagi saja aja tentang soal siapa kapan mana hari".split(" "),
  ],
  en: [
    ..."the a an is are am was were be what how do does did i my me we our you your it its this that".split(
      " ",
    ),
    ..."to of in on for and or can could should would will with about there please tell who when where today".split(
      " ",
    ),
  ],
};

type QaIndex = {
  db: ReturnType<typeof createDb>;
  byId: Map<string, QaEntry>;
  stopWords: Set<string>;
};

const indexes = new Map<Lang, QaIndex>();

/** Builds the index of `lang` on first use and keeps it. */
function indexFor(lang: Lang): QaIndex {
  const cached = indexes.get(lang);
  if (cached) return cached;
  const byId = new Map(readEntries(lang).map((e) => [e.id, e]));
  const db = createDb(lang);
  const inserted = insertMultiple(db, [...byId.values()]);
  if (inserted instanceof Promise) throw new Error("qa-search: Orama insert went async; no hooks expected");
  const index = { db, byId, stopWords: new Set(stopWordLists[lang]) };
  indexes.set(lang, index);
  return index;
}

function createDb(lang: Lang) {
  const language = lang === "id" ? idLanguage : enLanguage;
  const stemmer = lang === "id" ? idStemmer : enStemmer;
  return create({
    schema,
    components: { tokenizer: { stemming: true, language, stemmer, stopWords: stopWordLists[lang] } },
  });
}

type QaDb = ReturnType<typeof createDb>;

function run(db: QaDb, params: SearchParams<QaDb>): Results<{ id: string }> {
  const results = search(db, params);
  if (results instanceof Promise) throw new Error("qa-search: Orama search went async; no hooks expected");
  return results;
}

/** Entries from the catalog keys `qa.entries.<id>.q` and `qa.entries.<id>.a`, in file order. */
function readEntries(lang: Lang): QaEntry[] {
  const catalog = allCatalogs().get(lang);
  if (!catalog) return [];
  const out: QaEntry[] = [];
  for (const [key, question] of catalog) {
    const match = /^qa\.entries\.([\w-]+)\.q$/.exec(key);
    const answer = match?.[1] ? catalog.get(`qa.entries.${match[1]}.a`) : undefined;
    if (match?.[1] && answer) out.push({ id: match[1], question, answer });
  }
  return out;
}
