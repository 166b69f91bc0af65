import { allCatalogs } from "./content/catalog.ts";
import type { Lang } from "./message.ts";
import { lexicon } from "./understand/lexicon.ts";

/** A form a query word may be searched by, and how much a match through it counts (1: as written or in standard spelling). */
export type QueryForm = { text: string; quality: number };

/** One meaningful word of a query with the forms it may be found by, most standard first. */
export type QueryWord = { forms: QueryForm[] };

/** How much a match through a colloquial variant counts ("dijanjiin" found as "dijanjikan"). */
const VARIANT = 0.9;

/** Small function words that would otherwise match every entry (compared before and after spellings). */
const stopWordLists: Record<Lang, string> = {
  id: [
    "yang di ke dari dan atau apa apakah bagaimana saya aku kami kita anda kamu dia itu ini tu nih tuh",
    "untuk dengan ada adalah jika kalau akan sudah belum sih dong deh kok ya yah tolong mohon kak min gan",
    "bisa dapat mau ingin pada oleh juga lagi saja tentang soal siapa kapan mana hari tidak bukan",
    "boleh harus perlu buat bikin terus nanti sama seperti begitu begini lah kah pun nya banget aja",
    "dulu masih jadi sekali memang emang hal gitu gini kayak dll halo hai hallo selamat pagi siang sore",
    "malam permisi terima kasih makasih assalamualaikum wajar normal tapi karena agar biar supaya pas",
    "arti artinya maksud maksudnya pengertian definisi singkatan iya oke dimana please",
  ].join(" "),
  en: [
    "the a an is are am was were be been what how do does did i my me we our you your it its this that",
    "to of in on for and or can could should would will with about there please tell who when where today",
    "im just so if but then any some there here hi hello ok okay not no don doesn didn won isn cannot",
    "go going get got need needs want wants know say says said let make they them their he him his",
    "she her us as at by from up out all one still also really like yes hey thanks thank morning normal",
    "because while mean means meaning stand stands",
  ].join(" "),
};

/** The stop words of `lang`, which the index leaves out too. */
export function qaStopWords(lang: Lang): string[] {
  const words = stopWordLists[lang].split(" ");
  return lang === "id" ? words.flatMap((w) => [w, `${w}kah`, `${w}lah`, `${w}pun`]) : words;
}

type Normalizer = { spellings: Map<string, string[]>; stopWords: Set<string> };

const normalizers = new Map<Lang, Normalizer>();

function normalizerFor(lang: Lang): Normalizer {
  let n = normalizers.get(lang);
  if (!n) {
    const spellings = new Map<string, string[]>();
    for (const [from, to] of Object.entries(lexicon().slang)) spellings.set(from, to.split(/\s+/));
    for (const [from, to] of parseSpellings(allCatalogs().get(lang)?.get("qa.spellings") ?? "")) {
      spellings.set(from, to);
    }
    n = { spellings, stopWords: new Set(qaStopWords(lang)) };
    normalizers.set(lang, n);
  }
  return n;
}

/**
 * The meaningful words of a query, each with the forms to search it by. Text is lower-cased without
 * accents; "15jt" is read as "15 jt", "ciri2" as "ciri" and "biayanyaaa" as "biayanya". Chat spellings
 * come from the shared lexicon (`understand.yaml`, `slang`) and, first, from the catalog's
 * `qa.spellings` ("ln" → "luar negeri"); the word as written stays a form too, since the shared
 * lexicon serves both languages ("passport" → "paspor"). Stop words are dropped, also with a particle
 * ("bolehkah"), and colloquial Indonesian forms get standard variants ("nyuruh" → "suruh").
 */
export function normalizeQuery(lang: Lang, query: string): QueryWord[] {
  const { spellings, stopWords } = normalizerFor(lang);
  const meaningful = (w: string) => (w.length > 1 || /\d/.test(w)) && !stopWords.has(w);
  const out: QueryWord[] = [];
  const seen = new Set<string>();
  const push = (forms: QueryForm[]) => {
    const key = forms[0]?.text ?? "";
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ forms });
  };
  for (const word of splitWords(query)) {
    const standard = spellings.get(word) ?? [word];
    if (stopWords.has(word) || !standard.some(meaningful)) continue;
    if (standard.length > 1) {
      for (const w of standard.filter(meaningful)) push([{ text: w, quality: 1 }]);
      continue;
    }
    const texts = [...new Set([...standard, word])];
    push([
      ...texts.map((text) => ({ text, quality: 1 })),
      ...(lang === "id" ? colloquialVariants(word) : [])
        .filter((v) => !texts.includes(v))
        .map((text) => ({ text, quality: VARIANT })),
    ]);
  }
  return out;
}

/** Lower-cased words without accents; "15jt" → "15" "jt", "ciri2" → "ciri", "tolonggg" → "tolong". */
function splitWords(text: string): string[] {
  const out: string[] = [];
  const cleaned = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/['’`]/g, "");
  for (const raw of cleaned.split(/[^\p{L}\p{N}]+/u)) {
    const parts = /^\d+\p{L}+$/u.test(raw) ? [raw.replace(/\p{L}+$/u, ""), raw.replace(/^\d+/, "")] : [raw];
    for (const part of parts) {
      const word = part.replace(/^(\p{L}{2,})2$/u, "$1").replace(/(\p{L})\1{2,}/gu, "$1");
      if (word) out.push(word);
    }
  }
  return out;
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
    const [, pre = "", nasal = "", rest = ""] = m;
    if (!pre) stems.add(`me${w}`);
    for (const s of NASAL_STARTS[nasal] ?? []) stems.add(pre + s + rest);
  }
  stems.delete(word);
  return [...stems];
}

/** What a colloquial nasal prefix replaced: ngurus → urus, ngirim → kirim, nyuruh → suruh, nipu → tipu. */
const NASAL_STARTS: Record<string, string[]> = { nge: [""], ng: ["", "k"], ny: ["s"], n: ["t"], m: ["p"] };

/** `"gk=tidak, ln=luar negeri"` → gk → [tidak], ln → [luar, negeri]. */
function parseSpellings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of text.split(",")) {
    const [from, to] = pair.split("=").map((s) => s.trim().toLowerCase());
    if (from && to) out.set(from, to.split(/\s+/));
  }
  return out;
}
