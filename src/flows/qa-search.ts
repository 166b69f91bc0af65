import { create, insertMultiple, type SearchParams, search } from "@orama/orama";
import { language as enLanguage, stemmer as enStemmer } from "@orama/stemmers/english";
import { language as idLanguage, stemmer as idStemmer } from "@orama/stemmers/indonesian";
import { allCatalogs, fillShared } from "./content/catalog.ts";
import type { Lang } from "./message.ts";
import { normalizeQuery, type QueryForm, type QueryWord, qaStopWords } from "./qa-normalize.ts";

/** One question and answer of the knowledge base (`content/<lang>/qa.yaml`). */
export type QaEntry = { id: string; question: string; title: string; answer: string };

/** A search hit with how sure the search is that it answers the query, from 0 to 1. */
export type QaMatch = { entry: QaEntry; confidence: number };

/**
 * A best match below this confidence is a guess: offer the two best titles ("did you mean…?")
 * instead of answering. Only the first entry can reach it; the others are alternatives. Tuned on
 * `test/fixtures/qa-queries.yaml`, where most right answers score above it and most wrong ones below.
 */
export const QA_CONFIDENT = 0.5;

/**
 * Full-text search over the knowledge base of `lang`, best match first, at most three entries;
 * `[]` when nothing matches well. See {@link searchQaScored}.
 */
export function searchQa(lang: Lang, query: string): QaEntry[] {
  return searchQaScored(lang, query).map((m) => m.entry);
}

/**
 * Like {@link searchQa}, with a confidence per entry. Synchronous: Orama 3 only goes async when a
 * plugin adds search hooks, which this index has none of.
 *
 * The query is normalised first ({@link normalizeQuery}). Orama then looks up each word in the
 * question, the search keywords (`k`) and the answer, stemmed (Indonesian or English), with a typo
 * forgiven when the word is not found as written, and scores the entries by BM25, the question
 * weighing most. An entry's scores for the query's words are added up and scaled by how much of
 * the query it covers, so entries matching more of it win.
 *
 * Confidence grows with that coverage (rare words count more than common ones, unknown words count
 * against it, a word only the answer mentions counts half) and with the lead of the best entry over
 * the next one. An entry that covers too little of the query is not returned at all.
 */
export function searchQaScored(lang: Lang, query: string): QaMatch[] {
  const index = indexFor(lang);
  const ranked = rank(index, normalizeQuery(lang, query.slice(0, MAX_QUERY_CHARS)));
  const first = ranked[0];
  if (!first) return [];
  const lead = 1 - (ranked[1]?.score ?? 0) / first.score;
  return ranked
    .filter((s) => s.score >= first.score * MIN_RELATIVE_SCORE)
    .slice(0, MAX_RESULTS)
    .flatMap((s, i) => {
      const entry = index.byId.get(s.id);
      if (!entry) return [];
      return [{ entry, confidence: confidenceOf(s.coverage, i === 0 ? lead : 0, s.score / first.score) }];
    });
}

/** One entry by id, or `undefined`. */
export function qaEntry(lang: Lang, id: string): QaEntry | undefined {
  return indexFor(lang).byId.get(id);
}

/** All entries of `lang` in the order of the YAML file. */
export function qaEntries(lang: Lang): QaEntry[] {
  return [...indexFor(lang).byId.values()];
}

/** At most this many entries come back: the best match and two more to offer. */
const MAX_RESULTS = 3;
/** Share of the query's weight an entry must cover to be returned at all. */
const MIN_COVERAGE = 0.3;
/** Entries scoring below this share of the best entry's score are dropped. */
const MIN_RELATIVE_SCORE = 0.35;
/** Longer text is cut: a question is a sentence or two, and scoring stays fast. */
const MAX_QUERY_CHARS = 400;
/** A word only the answer mentions covers this share of it (the question and keywords say what the entry is about). */
const ANSWER_EVIDENCE = 0.5;
/** Field weights for Orama's BM25 ranking: the question says what an entry is about, the answer only mentions things. */
const BOOST = { question: 3, keywords: 2, answer: 1 };
/** Weight of a query word found nowhere in the knowledge base (about that of a fairly common word). */
const UNKNOWN_WEIGHT = 2.5;
/** Words with a shorter stem are not matched with a typo: "halo" is not "calo", "scores" not "stored". */
const MIN_TYPO_LENGTH = 6;
/** How much a match with no typo, one, and two (stems of eight letters or more) counts. */
const TYPO_QUALITY = [1, 0.8, 0.6];

/**
 * Ends every indexed and searched term, so that Orama matches whole words: without it a word also
 * finds every longer word it starts ("agen" would find "agenda").
 */
const END = "_";

/** Words the stemmer would wrongly cut down to another word ("keluar", to go out, is not "luar", abroad). */
const STEM_KEEP = new Set(["keluar", "keluarga", "berangkat", "pesiar", "perawat", "sekali"]);

const schema = { question: "string", keywords: "string", answer: "string" } as const;

function createDb(lang: Lang) {
  const stem = lang === "id" ? idStemmer : enStemmer;
  return create({
    schema,
    components: {
      tokenizer: {
        stemming: true,
        language: lang === "id" ? idLanguage : enLanguage,
        stemmer: (word: string) => (/\d/.test(word) || STEM_KEEP.has(word) ? word : stem(word)) + END,
        stopWords: qaStopWords(lang),
      },
    },
  });
}

type QaDb = ReturnType<typeof createDb>;

type QaIndex = { db: QaDb; byId: Map<string, QaEntry> };

const indexes = new Map<Lang, QaIndex>();

/** Builds the index of `lang` on first use and keeps it. */
function indexFor(lang: Lang): QaIndex {
  const cached = indexes.get(lang);
  if (cached) return cached;
  const catalog = allCatalogs().get(lang) ?? new Map<string, string>();
  const docs = readEntries(lang, catalog);
  const db = createDb(lang);
  const inserted = insertMultiple(
    db,
    docs.map(({ entry, keywords }) => ({
      id: entry.id,
      question: searchable(entry.question),
      keywords: searchable(keywords),
      answer: searchable(entry.answer),
    })),
  );
  if (inserted instanceof Promise) throw new Error("qa-search: Orama insert went async; no hooks expected");
  const index = { db, byId: new Map(docs.map(({ entry }) => [entry.id, entry])) };
  indexes.set(lang, index);
  return index;
}

/** Text as Orama should split it: without accents, apostrophes and hyphens ("worker's", "anti-trafficking"). */
function searchable(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/['’`-]/g, " ");
}

function run(db: QaDb, params: SearchParams<QaDb>) {
  const results = search(db, params);
  if (results instanceof Promise) throw new Error("qa-search: Orama search went async; no hooks expected");
  return results;
}

/** Entries a query word matched with how much each covers of it, the form and tolerance it was found by, its rarity. */
type WordMatch = { weight: number; covers: Map<string, number>; term?: string; tolerance: number };

/**
 * The entries Orama finds for one form of a word, each with how much the match covers of the word:
 * fully in the question or keywords, {@link ANSWER_EVIDENCE} when only the answer has it, less for
 * a colloquial variant or a typo.
 */
function lookup(db: QaDb, form: QueryForm, tolerance: number): Map<string, number> {
  const quality = form.quality * (TYPO_QUALITY[tolerance] ?? 0);
  const covers = new Map<string, number>();
  const params = { term: form.text, tolerance, limit: 1000 };
  for (const hit of run(db, { ...params, properties: ["answer"] }).hits) {
    covers.set(hit.id, quality * ANSWER_EVIDENCE);
  }
  for (const hit of run(db, { ...params, properties: ["question", "keywords"] }).hits) {
    covers.set(hit.id, quality);
  }
  return covers;
}

/**
 * Finds a word by its forms as written or in standard spelling, else by a colloquial variant, else
 * (long enough and without digits) with a typo.
 */
function matchWord(index: QaIndex, word: QueryWord): WordMatch {
  const match: WordMatch = { weight: 0, covers: new Map(), tolerance: 0 };
  const total = index.byId.size;
  const add = (form: QueryForm, tolerance: number) => {
    const covers = lookup(index.db, form, tolerance);
    if (covers.size === 0) return;
    if (match.term === undefined) Object.assign(match, { term: form.text, tolerance });
    const idf = Math.log(1 + (total - covers.size + 0.5) / (covers.size + 0.5));
    match.weight = Math.max(match.weight, form.quality * (TYPO_QUALITY[tolerance] ?? 0) * idf);
    for (const [id, c] of covers) match.covers.set(id, Math.max(match.covers.get(id) ?? 0, c));
  };
  for (const form of word.forms) if (form.quality === 1) add(form, 0);
  if (match.covers.size > 0) return match;
  for (const form of word.forms) if (form.quality < 1) add(form, 0);
  if (match.covers.size > 0) return match;
  for (const form of word.forms) {
    const stemLength = (index.db.tokenizer.tokenize(form.text)[0] ?? "").length - END.length;
    if (form.quality < 1 || stemLength < MIN_TYPO_LENGTH || /\d/.test(form.text)) continue;
    add(form, stemLength >= 8 ? 2 : 1);
  }
  if (match.covers.size === 0) match.weight = UNKNOWN_WEIGHT;
  return match;
}

type Ranked = { id: string; score: number; coverage: number };

/**
 * Entries that cover enough of the query, best first: Orama's BM25 score for the words it found,
 * each in the form it found it by, times the share of the query the entry covers.
 */
function rank(index: QaIndex, words: QueryWord[]): Ranked[] {
  const matches = words.map((w) => matchWord(index, w));
  const total = matches.reduce((sum, m) => sum + m.weight, 0);
  const term = matches.flatMap((m) => m.term ?? []).join(" ");
  if (total === 0 || !term) return [];
  const covered = new Map<string, number>();
  for (const m of matches) {
    for (const [id, c] of m.covers) covered.set(id, (covered.get(id) ?? 0) + c * m.weight);
  }
  const tolerance = Math.max(...matches.map((m) => m.tolerance));
  return run(index.db, { term, tolerance, boost: BOOST, limit: 1000 })
    .hits.map((hit) => {
      const coverage = (covered.get(hit.id) ?? 0) / total;
      return { id: hit.id, score: hit.score * coverage, coverage };
    })
    .filter((s) => s.score > 0 && s.coverage >= MIN_COVERAGE)
    .sort((a, b) => b.score - a.score);
}

/**
 * Confidence from the share of the query covered and the lead over the next entry (0 for all but
 * the best). Without a lead it stays below {@link QA_CONFIDENT}: a tie is a guess.
 */
function confidenceOf(coverage: number, lead: number, relative: number): number {
  const c = coverage ** 1.5 * (0.45 + 0.55 * Math.min(1, lead * 1.5)) * relative;
  return Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000;
}

/**
 * Entries from the catalog keys `qa.entries.<id>.q`, `.t` (button title, the question when missing),
 * `.a` and `.k` (keywords), in file order.
 */
function readEntries(
  lang: Lang,
  catalog: ReadonlyMap<string, string>,
): { entry: QaEntry; keywords: string }[] {
  const out: { entry: QaEntry; keywords: string }[] = [];
  for (const [key, question] of catalog) {
    const id = /^qa\.entries\.([\w-]+)\.q$/.exec(key)?.[1];
    const answer = id ? catalog.get(`qa.entries.${id}.a`) : undefined;
    if (id && answer) {
      const entry = {
        id,
        question: fillShared(lang, question),
        title: fillShared(lang, catalog.get(`qa.entries.${id}.t`) ?? question),
        answer: fillShared(lang, answer),
      };
      out.push({ entry, keywords: catalog.get(`qa.entries.${id}.k`) ?? "" });
    }
  }
  return out;
}
