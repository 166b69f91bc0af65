import { stemmer as enStemmer } from "@orama/stemmers/english";
import { stemmer as idStemmer } from "@orama/stemmers/indonesian";
import { allCatalogs } from "./content/catalog.ts";
import type { Lang } from "./message.ts";

/** One question and answer of the knowledge base (`content/<lang>/qa.yaml`). */
export type QaEntry = { id: string; question: string; answer: string };

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
 * Like {@link searchQa}, with a confidence per entry. Synchronous and fast (a few hundred entries
 * at most, scored in memory).
 *
 * The query is normalised first: lower case, chat spellings from the catalog (`qa.spellings`:
 * "gk" → "tidak", "brp" → "berapa"), "ciri2" → "ciri", "15jt" → "15 juta", stop words dropped.
 * Each word then matches entries by its own form or its stem (Indonesian or English), else by a
 * colloquial variant ("dijanjiin" → "dijanjikan", "nyuruh" → "suruh"), else by a typo (one edit,
 * two for long words) or as the start of a longer word. Entries are ranked by BM25F over the
 * question, the search keywords (`k`) and the answer, the question weighing most.
 *
 * Confidence grows with the share of the query's meaning the entry covers (rare words count more
 * than common ones, unknown words count against it) and with the lead of the best entry over the
 * next one. An entry that covers too little of the query is not returned at all.
 */
export function searchQaScored(lang: Lang, query: string): QaMatch[] {
  const ranked = rank(indexFor(lang), query);
  const first = ranked[0];
  if (!first) return [];
  const lead = 1 - (ranked[1]?.score ?? 0) / first.score;
  return ranked
    .filter((s) => s.score >= first.score * MIN_RELATIVE_SCORE)
    .slice(0, MAX_RESULTS)
    .map((s, i) => ({
      entry: s.doc.entry,
      confidence: confidenceOf(s.coverage, i === 0 ? lead : 0, s.score / first.score),
    }));
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
/** Fields and their weights: the question says what an entry is about, the answer only mentions things. */
const FIELDS = [
  { name: "question", weight: 3, b: 0.5, evidence: 1 },
  { name: "keywords", weight: 2, b: 0.3, evidence: 1 },
  { name: "answer", weight: 1, b: 0.75, evidence: ANSWER_EVIDENCE },
] as const;
/** Two query words found side by side in a question or keywords ("uang muka", "kerja paksa") add this share of their weight. */
const PAIR_BONUS = 1.5;
/** How strongly coverage of the query scales the score (Lucene's "coord"): entries matching more of it win. */
const COORD = 1;
/** BM25 saturation: how fast repeated mentions of a word stop adding to the score. */
const K1 = 2;
/** Weight of a query word found nowhere in the knowledge base (about that of a fairly common word). */
const UNKNOWN_WEIGHT = 2.5;
/** Match quality of a colloquial variant, a one-edit typo, a two-edit typo and a word start. */
const VARIANT = 0.9;
/** Shorter words are not matched with a typo or as a word start: "halo" is not "calo". */
const MIN_TYPO_LENGTH = 5;
const TYPO_1 = 0.8;
const TYPO_2 = 0.6;
const PREFIX = 0.6;

/**
 * Confidence from the share of the query covered and the lead over the next entry (0 for all but
 * the best). Without a lead it stays below {@link QA_CONFIDENT}: a tie is a guess.
 */
function confidenceOf(coverage: number, lead: number, relative: number): number {
  const c = coverage ** 1.5 * (0.45 + 0.55 * Math.min(1, lead * 1.5)) * relative;
  return Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000;
}

/** Small function words that would otherwise match every entry (compared after spellings). */
const stopWordLists: Record<Lang, string> = {
  id: [
    "yang di ke dari dan atau apa apakah bagaimana saya aku kami kita anda kamu dia itu ini tu nih tuh",
    "untuk dengan ada adalah jika kalau akan sudah belum sih dong deh kok ya yah tolong mohon kak min gan",
    "bisa dapat mau ingin pada oleh juga lagi saja tentang soal siapa kapan mana hari tidak bukan",
    "boleh harus perlu buat bikin terus nanti sama seperti begitu begini lah kah pun nya banget aja",
    "dulu masih jadi sekali memang emang hal gitu gini kayak dll halo hai hallo selamat pagi siang sore",
    "malam permisi terima kasih makasih assalamualaikum wajar normal tapi karena agar biar supaya pas",
    "arti artinya maksud maksudnya pengertian definisi singkatan",
  ].join(" "),
  en: [
    "the a an is are am was were be been what how do does did i my me we our you your it its this that",
    "to of in on for and or can could should would will with about there please tell who when where today",
    "im just so if but then any some there here hi hello ok okay not no don doesn didn won isn",
    "go going get got need needs want wants know say says said let make they them their he him his",
    "she her us as at by from up out all one still also really like yes hey thanks thank morning normal",
    "because while mean means meaning stand stands",
  ].join(" "),
};

/** Words the stemmer would wrongly cut down to another word ("keluar", to go out, is not "luar", abroad). */
const STEM_KEEP = new Set(["keluar", "keluarga", "berangkat", "pesiar", "perawat", "sekali"]);

type Doc = {
  entry: QaEntry;
  order: number;
  /** Term frequencies and length per field, in the order of FIELDS. */
  fields: { tf: Map<string, number>; length: number }[];
  /** Neighbouring terms ("uang muka", as forms and as stems) in the question and keywords. */
  pairs: Set<string>;
};

type QaIndex = {
  docs: Doc[];
  byId: Map<string, QaEntry>;
  /** Number of entries containing a term (word form or stem) in any field. */
  df: Map<string, number>;
  averageLength: number[];
  /** Every indexed term, for typo and prefix matching. */
  vocabulary: string[];
  spellings: Map<string, string[]>;
  stopWords: Set<string>;
  stem: (word: string) => string;
};

type QueryToken = { weight: number; terms: Map<string, number> };

const indexes = new Map<Lang, QaIndex>();

/** Builds the index of `lang` on first use and keeps it. */
function indexFor(lang: Lang): QaIndex {
  const cached = indexes.get(lang);
  if (cached) return cached;
  const catalog = allCatalogs().get(lang) ?? new Map<string, string>();
  const stemmer = lang === "id" ? idStemmer : enStemmer;
  const stems = new Map<string, string>();
  const stem = (word: string) => {
    let s = stems.get(word);
    if (s === undefined) {
      s = /\d/.test(word) || STEM_KEEP.has(word) ? word : stemmer(word);
      stems.set(word, s);
    }
    return s;
  };
  const base = {
    spellings: parseSpellings(catalog.get("qa.spellings") ?? ""),
    stopWords: new Set(stopWordLists[lang].split(" ")),
    stem,
  };
  const entries = readEntries(catalog);
  const docs: Doc[] = entries.map(({ entry, keywords }, order) => ({
    entry,
    order,
    fields: [entry.question, keywords, entry.answer].map((text) => {
      const tf = new Map<string, number>();
      const words = contentWords(base, text);
      for (const word of words) for (const term of termsOf(base, word)) tf.set(term, (tf.get(term) ?? 0) + 1);
      return { tf, length: words.length };
    }),
    pairs: new Set(
      [entry.question, keywords].flatMap((text) =>
        contentWords(base, text).flatMap((w, i, all) => {
          const next = all[i + 1];
          return next ? [`${w} ${next}`, `${stem(w)} ${stem(next)}`] : [];
        }),
      ),
    ),
  }));
  const df = new Map<string, number>();
  for (const doc of docs) {
    const terms = new Set(doc.fields.flatMap((f) => [...f.tf.keys()]));
    for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const averageLength = FIELDS.map(
    (_, i) => docs.reduce((sum, d) => sum + (d.fields[i]?.length ?? 0), 0) / Math.max(1, docs.length),
  );
  const index: QaIndex = {
    ...base,
    docs,
    byId: new Map(entries.map(({ entry }) => [entry.id, entry])),
    df,
    averageLength,
    vocabulary: [...df.keys()].filter((t) => t.length >= 3 && !/\d/.test(t)),
  };
  indexes.set(lang, index);
  return index;
}

type Ranked = { doc: Doc; score: number; coverage: number };

/** Entries that cover enough of the query, best first. */
function rank(index: QaIndex, query: string): Ranked[] {
  const tokens = queryTokens(index, query.slice(0, MAX_QUERY_CHARS));
  const total = tokens.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0 || tokens.every((t) => t.terms.size === 0)) return [];
  return index.docs
    .map((doc) => {
      let score = 0;
      let covered = 0;
      tokens.forEach((token, i) => {
        let best = 0;
        let evidence = 0;
        for (const [term, quality] of token.terms) {
          const match = termMatch(index, doc, term);
          best = Math.max(best, quality * match.score);
          evidence = Math.max(evidence, quality * match.evidence);
        }
        score += best;
        covered += evidence * token.weight;
        const next = tokens[i + 1];
        if (next && best > 0 && hasPair(doc, token, next)) {
          score += (PAIR_BONUS * (token.weight + next.weight)) / 2;
        }
      });
      const coverage = covered / total;
      return { doc, score: score * coverage ** COORD, coverage };
    })
    .filter((s) => s.score > 0 && s.coverage >= MIN_COVERAGE)
    .sort((a, b) => b.score - a.score || a.doc.order - b.doc.order);
}

/** The word form and its stem: a query word matches an entry through either. */
function termsOf(index: Pick<QaIndex, "stem">, word: string): string[] {
  const stem = index.stem(word);
  return stem && stem !== word ? [word, stem] : [word];
}

/** Lower-cased words of `text` after chat spellings, without one-letter words and stop words (also with a particle: "bolehkah"). */
function contentWords(index: Pick<QaIndex, "spellings" | "stopWords">, text: string): string[] {
  const out: string[] = [];
  for (const raw of text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)) {
    // "15jt" → "15" "jt"; "ciri2" → "ciri"; "tolonggg" → "tolongg" (variants later try "tolong").
    const parts = /^\d+\p{L}+$/u.test(raw) ? [raw.replace(/\p{L}+$/u, ""), raw.replace(/^\d+/, "")] : [raw];
    for (const part of parts) {
      const word = part.replace(/^(\p{L}{2,})2$/u, "$1").replace(/(\p{L})\1{2,}/gu, "$1$1");
      for (const w of index.spellings.get(word) ?? [word]) {
        const meaningful = w.length > 1 || /\d/.test(w);
        const particle = w.replace(/(kah|lah|pun)$/, "");
        if (meaningful && !index.stopWords.has(w) && !index.stopWords.has(particle)) out.push(w);
      }
    }
  }
  return out;
}

/** Query words with the index terms each one may match and how well. */
function queryTokens(index: QaIndex, query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  const seen = new Set<string>();
  for (const word of contentWords(index, query)) {
    if (seen.has(word)) continue;
    seen.add(word);
    const terms = matchTerms(index, word);
    let weight = terms.size === 0 ? UNKNOWN_WEIGHT : 0;
    for (const [term, quality] of terms) weight = Math.max(weight, quality * idf(index, term));
    tokens.push({ weight, terms });
  }
  return tokens;
}

function matchTerms(index: QaIndex, word: string): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (candidates: string[], quality: number) => {
    for (const t of candidates) {
      if (index.df.has(t) && (terms.get(t) ?? 0) < quality) terms.set(t, quality);
    }
  };
  // The stem stands for every form of the word ("menempatkan" finds "penempatan"); the form itself
  // only when the stemmer does not know it.
  const stem = index.stem(word);
  add([index.df.has(stem) ? stem : word], 1);
  if (terms.size > 0 || /\d/.test(word)) return terms;
  for (const variant of colloquialVariants(word)) add(termsOf(index, variant), VARIANT);
  if (terms.size > 0 || word.length < MIN_TYPO_LENGTH) return terms;
  const maxEdits = word.length >= 8 ? 2 : 1;
  for (const term of index.vocabulary) {
    if (Math.abs(term.length - word.length) > maxEdits) continue;
    const d = editDistance(word, term, maxEdits);
    if (d <= maxEdits) add([term], d === 1 ? TYPO_1 : TYPO_2);
  }
  if (terms.size > 0) return terms;
  for (const term of index.vocabulary) {
    const shorter = term.length < word.length ? term : word;
    const longer = shorter === term ? word : term;
    if (
      shorter.length >= MIN_TYPO_LENGTH &&
      longer.length - shorter.length <= 5 &&
      longer.startsWith(shorter)
    ) {
      add([term], PREFIX);
    }
  }
  return terms;
}

/**
 * Standard forms a colloquial Indonesian word may stand for: "-in" for "-kan"/"-i" (dijanjiin),
 * a dropped "me-" prefix (nyuruh → suruh, nipu → tipu, ngurus → urus), "e" for "a" in the last
 * syllable (disimpen → disimpan), and a doubled letter written once.
 */
function colloquialVariants(word: string): string[] {
  const stems = new Set([word, word.replace(/(\p{L})\1/gu, "$1")]);
  for (const w of [...stems]) {
    if (/[^aiueo]e[^aiueo]$/.test(w)) stems.add(w.replace(/e([^aiueo])$/, "a$1"));
  }
  for (const w of [...stems]) {
    if (w.length > 4 && w.endsWith("in")) for (const end of ["kan", "i", ""]) stems.add(w.slice(0, -2) + end);
  }
  for (const w of [...stems]) {
    const m = /^(di|ke)?(nge|ng|ny|n|m)([aiueo].*)$/.exec(w);
    if (!m) continue;
    const [, pre = "", nasal, rest = ""] = m;
    for (const s of NASAL_STARTS[nasal ?? ""] ?? []) stems.add(pre + s + rest);
  }
  stems.delete(word);
  return [...stems];
}

/** What a colloquial nasal prefix replaced: ngurus → urus, ngirim → kirim, nyuruh → suruh, nipu → tipu. */
const NASAL_STARTS: Record<string, string[]> = { nge: [""], ng: ["", "k"], ny: ["s"], n: ["t"], m: ["p"] };

/** Optimal string alignment distance, giving up (returning max + 1) once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

function idf(index: QaIndex, term: string): number {
  const n = index.docs.length;
  const df = index.df.get(term) ?? 0;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * BM25F score of one term in one entry (weighted, length-normalised frequency, saturated), and how
 * much the match says the entry is about the term: 1 in the question or keywords, less when the
 * answer only mentions it.
 */
function termMatch(index: QaIndex, doc: Doc, term: string): { score: number; evidence: number } {
  let tf = 0;
  let evidence = 0;
  FIELDS.forEach((field, i) => {
    const f = doc.fields[i];
    const count = f?.tf.get(term);
    if (!f || !count) return;
    const norm = 1 - field.b + (field.b * f.length) / Math.max(1, index.averageLength[i] ?? 1);
    tf += (field.weight * count) / norm;
    evidence = Math.max(evidence, field.evidence);
  });
  if (tf === 0) return { score: 0, evidence: 0 };
  return { score: (idf(index, term) * tf * (K1 + 1)) / (tf + K1), evidence };
}

/** Whether two neighbouring query words stand next to each other in the entry's question or keywords. */
function hasPair(doc: Doc, a: QueryToken, b: QueryToken): boolean {
  for (const x of a.terms.keys()) for (const y of b.terms.keys()) if (doc.pairs.has(`${x} ${y}`)) return true;
  return false;
}

/** `"gk=tidak, ln=luar negeri"` → gk → [tidak], ln → [luar, negeri]. */
function parseSpellings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of text.split(",")) {
    const [from, to] = pair.split("=").map((s) => s.trim().toLowerCase());
    if (from && to) out.set(from, to.split(/\s+/));
  }
  return out;
}

/** Entries from the catalog keys `qa.entries.<id>.q`, `.a` and `.k` (keywords), in file order. */
function readEntries(catalog: ReadonlyMap<string, string>): { entry: QaEntry; keywords: string }[] {
  const out: { entry: QaEntry; keywords: string }[] = [];
  for (const [key, question] of catalog) {
    const id = /^qa\.entries\.([\w-]+)\.q$/.exec(key)?.[1];
    const answer = id ? catalog.get(`qa.entries.${id}.a`) : undefined;
    if (id && answer) {
      out.push({ entry: { id, question, answer }, keywords: catalog.get(`qa.entries.${id}.k`) ?? "" });
    }
  }
  return out;
}
