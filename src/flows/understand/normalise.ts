import { lexicon } from "./lexicon.ts";

/** One word of a typed message: what was written, and the forms it is matched by. */
export type Token = {
  /** The word as written (lower case), for showing officers which words raised a signal. */
  raw: string;
  /** Forms to match: the standard spelling first, then the raw word and the word without "-nya"/"-ku"/"-mu". */
  forms: string[];
  /** Index of the clause the word belongs to (clauses split at punctuation and at "tapi", "but", "sekarang"). */
  clause: number;
};

const CLAUSE_START = new Set(["tapi", "but", "namun", "however", "sekarang", "padahal"]);
const UNIT = /^(\d{1,3})(th|thn|tahun|taun|thun|yo|yrs|years|jt|juta|rb|ribu|hari|hr|jam|bulan|bln)$/;
const AGE_GLUED = /^(umur|usia|umr|age)(\d{1,3})$/;

/**
 * Turns typed text into tokens in standard spelling: lower case, accents and apostrophes dropped, letters
 * repeated three or more times cut to one ("tolonggg"), "anak2" doubled, chat spellings expanded ("gk" →
 * "tidak", "sy" → "saya"), numbers written as words turned into digits ("lima belas" → "15"), and "15thn"
 * split into "15 tahun". Pure and fast; typos are forgiven later, when phrases are matched.
 */
export function normalise(text: string): Token[] {
  const slang = lexicon().slang;
  const out: Token[] = [];
  let clause = 0;
  const cleaned = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’`]/g, "");
  for (const piece of cleaned.split(/([.!?;,\n:()]+)/)) {
    if (/^[.!?;,\n:()]+$/.test(piece)) {
      clause++;
      continue;
    }
    for (const word of splitWords(piece)) {
      const expanded = (slang[word] ?? word).split(/\s+/).filter(Boolean);
      for (const form of expanded) {
        if (CLAUSE_START.has(form) && out.length > 0 && out[out.length - 1]?.clause === clause) clause++;
        const forms = [form];
        if (form !== word && expanded.length === 1) forms.push(word);
        const stem = stripSuffix(form);
        if (stem) forms.push(slang[stem] ?? stem, stem);
        // Informal "-in" for "-kan"/"-i" ("dibolehin", "dipukulin").
        if (/^\p{L}{4,}in$/u.test(form)) forms.push(`${form.slice(0, -2)}kan`, `${form.slice(0, -2)}i`);
        // "di kurung", "di tahan": the verb written apart from its prefix.
        const prev = out[out.length - 1];
        if (prev?.forms[0] === "di" && prev.clause === clause && /^\p{L}{3,}$/u.test(form))
          forms.push(`di${form}`);
        out.push({ raw: word, forms: [...new Set(forms)], clause });
      }
    }
  }
  return joinNumbers(out);
}

function splitWords(piece: string): string[] {
  const words: string[] = [];
  for (const m of piece.matchAll(/[\p{L}\p{N}]+/gu)) {
    let w = m[0].replace(/(\p{L})\1{2,}/gu, "$1");
    const unit = UNIT.exec(w);
    const age = AGE_GLUED.exec(w);
    if (unit?.[1] && unit[2]) {
      words.push(unit[1], unit[2]);
      continue;
    }
    if (age?.[1] && age[2]) {
      words.push(age[1], age[2]);
      continue;
    }
    if (/^\p{L}{2,}2$/u.test(w)) {
      w = w.slice(0, -1);
      words.push(w, w);
      continue;
    }
    words.push(w);
  }
  return words;
}

/** "paspornya" → "paspor", "hpku" → "hp"; undefined when there is no such suffix. */
function stripSuffix(word: string): string | undefined {
  const m = /^(\p{L}{2,}?)(nya|ku|mu)$/u.exec(word);
  return m?.[1] && m[1].length >= 2 && !KEEP.has(word) ? m[1] : undefined;
}
/** Words that only look like a root plus a suffix. */
const KEEP = new Set([
  "tanya",
  "punya",
  "hanya",
  "bahaya",
  "karya",
  "satunya",
  "aku",
  "ibuku",
  "buku",
  "laku",
  "waktu",
  "tamu",
  "temu",
  "ilmu",
  "jamu",
  "kamu",
  "minggu",
  "lagu",
  "palu",
  "bantu",
  "tunggu",
  "ragu",
  "malu",
  "baru",
  "pintu",
  "dulu",
  "tahu",
  "mampu",
  "ketemu",
  "setuju",
  "menyanyi",
]);

const UNITS: Record<string, number> = {
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  enam: 6,
  tujuh: 7,
  delapan: 8,
  sembilan: 9,
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
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  sepuluh: 10,
  sebelas: 11,
};

/** "lima belas" → "15", "dua puluh" → "20", "sixteen" → "16"; other tokens unchanged. */
function joinNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const unit = UNITS[t.forms[0] ?? ""];
    const next = tokens[i + 1]?.forms[0];
    if (unit !== undefined && unit < 10 && (next === "belas" || next === "puluh")) {
      const value = next === "belas" ? 10 + unit : unit * 10;
      out.push({ raw: `${t.raw} ${next}`, forms: [String(value)], clause: t.clause });
      i++;
      continue;
    }
    if (unit !== undefined) out.push({ ...t, forms: [String(unit), ...t.forms] });
    else out.push(t);
  }
  return out;
}
