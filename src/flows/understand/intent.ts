import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";
import { findAll } from "./phrases.ts";
import type { Signal } from "./signals.ts";

/** What a person wants with a typed message. */
export const INTENTS = [
  "report",
  "check",
  "question",
  "status",
  "emergency",
  "delete",
  "greeting",
  "thanks",
  "other",
] as const;
export type Intent = (typeof INTENTS)[number];

type Scored = { intent: Intent; confidence: number };

const OFFER = [
  "recruiter",
  "sponsor",
  "calo",
  "tawaran",
  "menawarkan",
  "ditawari",
  "offer*",
  "berangkat",
  "flying",
  "leave",
  "leaving",
  "dijemput",
  "lowongan",
  "loker",
  "job",
  "agen dari",
  "agen ~ minta",
  "agent ~ say*",
  "agency ~ say*",
];
/** First words of a question: "kalau saya lapor…", "is it legal…", "bisa…". */
const ASKING = new Set([
  "kalau",
  "if",
  "apakah",
  "apa",
  "bagaimana",
  "berapa",
  "is",
  "are",
  "can",
  "could",
  "what",
  "how",
  "who",
  "where",
  "does",
  "do",
  "should",
  "bisa",
  "boleh",
  "siapa",
  "kapan",
  "kenapa",
  "dimana",
  "lapor",
  "cara",
  "whats",
]);
const JUDGE = [
  "aman",
  "asli",
  "resmi",
  "wajar",
  "legit",
  "safe",
  "ok",
  "oke",
  "scam",
  "benar",
  "mencurigakan",
  "curiga",
  "memastikan",
  "is it",
  "penipuan",
  "real",
  "fake",
  "legal",
  "normal",
];
const TROUBLE = new Set(["danger_now", "passport_held", "forced_work", "unpaid_wages", "child"]);
const SOCIAL = new Set<Intent>(["greeting", "thanks"]);

/** The red flags that are an offer's terms, told before anyone leaves (content/understand.yaml). */
const OFFER_TERMS = ["fees_debt", "tourist_visa", "no_contract"] as const;

/**
 * Scores each intent from the lexicon's cue phrases and the signals found, and returns the best with a
 * confidence in 0..1 (the best score's share against the runner-up). A report code means a status check;
 * a story of trouble means a report; an offer described for judging means a check; short greetings and
 * thanks count only when nothing else is asked.
 */
export function detectIntent(
  tokens: Token[],
  text: string,
  signals: Signal[],
  code: string | undefined,
): Scored {
  if (code) return { intent: "status", confidence: 0.95 };
  const lex = lexicon();
  const scores = new Map<Intent, number>();
  const add = (intent: Intent, n: number) => scores.set(intent, (scores.get(intent) ?? 0) + n);
  for (const intent of INTENTS) {
    if (intent === "other") continue;
    for (const hit of findAll(tokens, lex.intents[intent])) add(intent, hit.end > hit.start ? 1.5 : 1);
  }
  // A question in a hypothetical frame ("kalau saya lapor…", "is it legal to hold my passport?") names
  // trouble without telling of it.
  const first = tokens[0]?.forms ?? [];
  const asking =
    first.some((f) => ASKING.has(f)) &&
    (text.includes("?") ||
      /\b(gk|ga|gak|nggak|tidak|tdk|ya|sih|gmn|gimana|brp|mana|siapa)\W*$/i.test(text.trim()) ||
      tokens.length <= 14);
  if (asking) add("question", 2);
  const trouble =
    asking && !signals.some((s) => s.kind === "danger_now") ? [] : signals.filter((s) => TROUBLE.has(s.kind));
  if (trouble.length > 0) add("report", 1.5 + trouble.length);
  if (signals.some((s) => s.kind === "danger_now")) add("report", 2);
  if (signals.some((s) => s.kind === "departure_soon")) add("check", 0.5);
  if (/\?\s*$/.test(text.trim()) || text.includes("?")) add("question", 0.75);
  // An offer with a question ("aman gak?") is a check, not a general question.
  if ((scores.get("check") ?? 0) >= 1 && (scores.get("question") ?? 0) > 0) add("check", 0.75);
  // A question about reporting ("kalau saya lapor ketahuan tidak?") is a question, not a report.
  if ((scores.get("report") ?? 0) > 0 && trouble.length === 0 && (scores.get("question") ?? 0) >= 1.5) {
    add("question", 0.5);
  }
  // "hapus" alone or "hapus chat": a wish to delete, even inside a longer greeting.
  if ((scores.get("delete") ?? 0) > 0 && tokens.length <= 8) add("delete", 1.5);
  // Emergency numbers asked for without a story.
  if ((scores.get("emergency") ?? 0) > 0 && trouble.length === 0) add("emergency", 1);

  // An offer or a plan with an evaluation word is a check ("agen dari FB, aman gk?", "scam?").
  if (findAll(tokens, OFFER).length > 0 && (findAll(tokens, JUDGE).length > 0 || text.includes("?")))
    add("check", 2);
  // A long message that names no intent is most likely a story, unless it tells an offer's terms (a
  // fee to pay first or cut from the salary later, a tourist visa, no contract): an offer to check.
  if (tokens.length >= 10 && ![...scores.values()].some((v) => v >= 1)) {
    const terms = OFFER_TERMS.some((flag) => findAll(tokens, lex.red_flags[flag] ?? []).length > 0);
    add(terms ? "check" : "report", 1);
  }

  const substantive = [...scores].filter(([i]) => !SOCIAL.has(i));
  // A greeting never outweighs a cry for help ("halo kak, sy terjebak di malaysia").
  const danger = signals.some((s) => s.kind === "danger_now");
  const pool = danger || substantive.some(([, s]) => s >= 1) ? substantive : [...scores];
  if (tokens.length > 8) for (const e of pool) if (SOCIAL.has(e[0])) e[1] *= 0.3;
  const ranked = pool.sort((a, b) => b[1] - a[1] || INTENTS.indexOf(a[0]) - INTENTS.indexOf(b[0]));
  const [best, second] = ranked;
  if (!best || best[1] < 0.75) return { intent: "other", confidence: 0.3 };
  const confidence = best[1] / (best[1] + (second?.[1] ?? 0) + 0.5);
  return { intent: best[0], confidence: Math.round(Math.min(0.99, confidence) * 100) / 100 };
}
