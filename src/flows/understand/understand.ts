import type { Lang } from "../message.ts";
import type { Situation } from "../report.ts";
import { detectIntent, type Intent } from "./intent.ts";
import { lexicon } from "./lexicon.ts";
import { normalise, type Token } from "./normalise.ts";
import { aboutOther } from "./others.ts";
import { findAll } from "./phrases.ts";
import { detectSignals, negatedHit, type Signal, type SignalKind } from "./signals.ts";
import { detectWhere, placeKind, type Where } from "./where.ts";

export type { Intent } from "./intent.ts";
export type { Signal, SignalKind } from "./signals.ts";
export type { Where } from "./where.ts";

/** What a typed message says, as plain data a flow can act on. */
export type Understanding = {
  /** The language the text is written in, when it can be told. */
  lang: Lang | undefined;
  intent: Intent;
  /** 0..1; below {@link CONFIDENT} the bot asks rather than acts. */
  confidence: number;
  signals: Signal[];
  where: Where;
  /** The place as typed ("Myawaddy"), when one was read. */
  place?: string;
  /** The first place abroad the text names (a destination or where someone is), as typed. */
  destination?: string;
  /** A report code as typed, when the text holds one. */
  code?: string;
  /** The kind of case a story describes, for a report started from it. */
  situation?: Situation;
  /** The text is about someone close to the writer ("adik sy", "my sister"), who may be elsewhere. */
  aboutOther?: true;
};

/** Confidence from which a typed intent is acted on directly. */
export const CONFIDENT = 0.5;

/** Longest text read whole (Telegram's limit); of a longer one, the start and the end are read. */
const MAX_READ = 4096;

/** The text read: all of it up to {@link MAX_READ}, else its start and its end ("… tolong sy kak."). */
export function readable(text: string): string {
  if (text.length <= MAX_READ) return text;
  const half = MAX_READ / 2;
  return `${text.slice(0, half)}\n${text.slice(-half)}`;
}

/**
 * Reads a typed message: language, intent with confidence, signals (danger now, a child, passport held,
 * forced work, unpaid wages, departure soon) with the words behind them, where the person is, a report
 * code, and the kind of case. Pure, synchronous and channel-free.
 */
export function understand(text: string): Understanding {
  // The guards and actions of one event, the triage and the summary ask about the same text.
  if (last?.text === text) return last.u;
  const u = read(text);
  last = { text, u };
  return u;
}

let last: { text: string; u: Understanding } | undefined;

function read(text: string): Understanding {
  const slice = readable(text);
  const tokens = normalise(slice);
  const signals = detectSignals(tokens);
  const code = findCode(slice);
  const { intent, confidence } = detectIntent(tokens, slice, signals, code);
  const trouble = signals.some((s) => s.kind !== "departure_soon") || intent === "report";
  const read = detectWhere(tokens, trouble);
  // Someone weighing an offer or about to leave has not left yet: a place named only with "di" ("gaji
  // 8 juta di taiwan") is where the job is, unless the text tells of trouble ("sy di riyadh" is stronger).
  const offered = intent === "check" && !trouble && (read.strength ?? 0) <= 2;
  const where = (read.where === "unknown" || offered) && intent === "check" ? "indonesia" : read.where;
  const place = read.place;
  const out: Understanding = { lang: detectLang(tokens), intent, confidence, signals, where };
  if (place) out.place = place;
  const abroad = findAll(tokens, lexicon().places.abroad).find(
    (h) => !/luar negeri|luar negri|abroad|overseas|kapal|laut|sea|ship|boat|vessel|kbri|kjri/.test(h.phrase),
  );
  if (abroad) out.destination = abroad.words;
  if (code) out.code = code;
  if (aboutOther(tokens)) out.aboutOther = true;
  const situation = inferSituation(tokens, signals);
  if (situation) out.situation = situation;
  return out;
}

/** Whether `u` carries `kind`. */
export function has(u: Understanding, kind: SignalKind): boolean {
  return u.signals.some((s) => s.kind === kind);
}

const CODE_CHARS = "[2-9A-HJKMNP-Z]";
const CODE = new RegExp(
  `(?:(\\b(?:TPPO|REF)[\\s.\\-–:#]*|\\b[A-Z]{2,4}[.\\-–]+)|(?<![A-Z0-9]))(${CODE_CHARS}{4})[\\s.\\-–]?(${CODE_CHARS}{4})\\b`,
  "gi",
);

/**
 * A report code in the text ("REF-7K3M-9QX2", "ref 7k3m 9qx2", "REF7K3M9QX2", an old "TPPO-7K3M-9QX2",
 * "7K3M-9QX2"), as typed.
 */
export function findCode(text: string): string | undefined {
  for (const m of text.matchAll(CODE)) {
    const code = codeOf(m);
    if (code) return code;
  }
  return undefined;
}

function codeOf([whole, prefix, first, second]: RegExpMatchArray): string | undefined {
  if (!whole || !first || !second) return undefined;
  // A family code ("KLG-7K3M-9QX2") is for check-ins, not a report.
  if (/^KLG\b/i.test(prefix ?? "")) return undefined;
  const body = `${first}${second}`;
  // With its prefix ("REF-EKAV-FCFW") a code may be letters only, as about one issued code in eleven
  // is. Without it, two plain words ("mana bisa") are not a code: a code mixes in digits. Glued to its
  // prefix, a code of letters only is typed in capitals ("REFEKAVFCFW"): "refreshment" is a word.
  if (/^(TPPO|REF)$/i.test(prefix ?? "")) {
    return /\d/.test(body) || whole === whole.toUpperCase() ? whole : undefined;
  }
  if (/^(TPPO|REF)\b/i.test(prefix ?? "")) return whole.trim();
  if (!/\d/.test(body) || !/[a-z]/i.test(body)) return undefined;
  return whole.trim();
}

const ID_WORDS = new Set(
  "saya tidak sudah belum yang dan di ke dari ini itu ada mau bisa kerja gaji adik kakak tolong apa bagaimana berapa kalau dengan untuk karena tapi juga orang sama agen majikan paspor aman laporan lapor sekarang masih iya halo makasih terima kasih".split(
    " ",
  ),
);
const EN_WORDS = new Set(
  "i my me the is are was were and to of in on it this that what how can do does not no yes my her his she he they we you your help please job work agency passport safe report hello thanks thank is there about with from".split(
    " ",
  ),
);

/** Indonesian or English by common words; undefined when neither shows. */
export function detectLang(tokens: Token[]): Lang | undefined {
  let id = 0;
  let en = 0;
  for (const t of tokens) {
    if (t.forms.some((f) => ID_WORDS.has(f)) || ID_WORDS.has(t.raw)) id++;
    if (EN_WORDS.has(t.raw)) en++;
  }
  if (id === 0 && en === 0) return undefined;
  return en > id ? "en" : "id";
}

const SEXUAL = [
  "diperkosa",
  "perkosa*",
  "dilecehkan",
  "melayani tamu",
  "layani tamu",
  "pijat plus",
  "psk",
  "pelacur*",
  "prostitusi",
  "open bo",
  "dijual ~ pria",
  "karaoke ~ plus",
  "prostitut*",
  "sex*",
  "raped",
  "escort",
  "massage ~ extra",
  "brothel",
];
const SCAM = [
  "scam",
  "penipuan online",
  "nipu",
  "menipu orang",
  "tipu orang",
  "judi online",
  "judol",
  "compound",
  "love scam",
  "crypto",
  "kripto",
  "customer service",
  "admin online",
  "online gambling",
  "pig butchering",
];
const FRAUD = [
  "ditipu",
  "tertipu",
  "kena tipu",
  "uang ~ hilang",
  "agen ~ kabur",
  "calo",
  "biaya",
  "bayar",
  "scammed",
  "cheated",
  "fake agency",
  "agen palsu",
  "tidak jadi berangkat",
];

/** The kind of case a story describes, most specific first. */
function inferSituation(tokens: Token[], signals: Signal[]): Situation | undefined {
  const kinds = new Set(signals.map((s) => s.kind));
  if (findAll(tokens, SEXUAL).length > 0) return "sexual_exploitation";
  if (kinds.has("child")) return "child_involved";
  if (
    findAll(tokens, SCAM).length > 0 &&
    (kinds.has("forced_work") || kinds.has("danger_now") || kinds.has("passport_held"))
  ) {
    return "scam_compound";
  }
  if (kinds.has("danger_now") || kinds.has("forced_work") || kinds.has("passport_held")) {
    return "held_or_forced_work";
  }
  if (findAll(tokens, FRAUD).length > 0) return "recruitment_fraud";
  return undefined;
}

/** DOMAIN's red flags that a typed text names ("visa turis", "bayar 15 juta", "lewat Bangkok"), with the words. */
export function typedRedFlags(text: string): { flag: string; words: string }[] {
  const tokens = normalise(readable(text));
  const out: { flag: string; words: string }[] = [];
  for (const [flag, list] of Object.entries(lexicon().red_flags)) {
    const hits = findAll(tokens, list).filter((h) => !negatedHit(tokens, h));
    if (hits.length > 0) out.push({ flag, words: hits[0]?.words ?? "" });
  }
  return out;
}

/** Whether a typed place ("Malaysia", "Denpasar", "kmboja") is in Indonesia or abroad. */
export function whereIsPlace(text: string): Where {
  return placeKind(normalise(text.slice(0, 200)));
}

/** A place typed all in lower case ("jepang", "hong kong") said back with capitals ("Jepang"). */
export function placeName(place: string): string {
  if (place !== place.toLowerCase()) return place;
  return place.replace(/(^|[\s-])(\p{L})/gu, (_, gap: string, letter: string) => gap + letter.toUpperCase());
}

/**
 * The country of a city or region abroad the lexicon knows ("Dubai" → United Arab Emirates,
 * "Phnom Penh" → Cambodia), named in `lang`; undefined for anything else.
 */
export function countryOfPlace(place: string, lang: Lang): string | undefined {
  const tokens = normalise(place.slice(0, 100));
  return lexicon().city_countries.find((c) => findAll(tokens, c.places).length > 0)?.country[lang];
}

/** Whether a typed place names a country ("Malaysia", "kmboja") rather than a city or region. */
export function isCountry(place: string): boolean {
  return findAll(normalise(place.slice(0, 100)), lexicon().countries).length > 0;
}
