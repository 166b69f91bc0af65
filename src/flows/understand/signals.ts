import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";
import { compile, findAll, type Hit, negatorWords } from "./phrases.ts";

/** What a typed text can reveal about a situation, in the words of DOMAIN's "Signals for triage". */
export const SIGNALS = [
  "danger_now",
  "child",
  "passport_held",
  "forced_work",
  "unpaid_wages",
  "departure_soon",
] as const;
export type SignalKind = (typeof SIGNALS)[number];

/** A signal and the words, as typed, that raised it (shown to officers so they can judge). */
export type Signal = { kind: SignalKind; words: string };

/**
 * Finds the signals in normalised tokens. A phrase right after a negator ("tidak dikurung", "not locked"),
 * or with one in its gap ("hp sy gak disita"), does not count, nor does one inside a phrase of
 * `not_signals` ("rumahnya dijual": a house sold). Danger counts as "now" unless its clause is in the past
 * ("dulu pernah disekap") or the text says the person is safe again ("sudah pulang"), without a now-word
 * ("masih", "still") beside it.
 */
export function detectSignals(tokens: Token[]): Signal[] {
  const lex = lexicon();
  const negators = negatorWords();
  const out: Signal[] = [];
  const safeAgain = findAll(tokens, lex.safe_again, (h) => !negated(tokens, h, negators));
  for (const kind of SIGNALS) {
    if (kind === "child") continue;
    const not = findAll(tokens, lex.not_signals[kind] ?? []);
    const live = (h: Hit) =>
      !negated(tokens, h, negators) &&
      !not.some((n) => n.start <= h.start && h.end <= n.end) &&
      (kind === "danger_now" ? isNow(tokens, h, safeAgain) : !inPastOnly(tokens, h)) &&
      (kind !== "passport_held" || !planned(tokens, h));
    const hits = findAll(tokens, lex.signals[kind], live);
    // "paspor sdh dikembalikan" takes the passport back; "paspor ga dikembalikan" does not.
    const cancelled =
      findAll(tokens, lex.cancels[kind] ?? [], (h) => !negated(tokens, h, negators)).length > 0;
    if (hits.length > 0 && !cancelled) out.push({ kind, words: words(hits) });
  }
  const child = childSignal(tokens, negators);
  if (child) out.push(child);
  return out.sort((a, b) => SIGNALS.indexOf(a.kind) - SIGNALS.indexOf(b.kind));
}

let conditionals: Set<string> | undefined;

/** Words that make a following negator a condition ("kalau tidak …"), read once. */
function conditionalWords(): Set<string> {
  conditionals ??= new Set(lexicon().conditional);
  return conditionals;
}

/**
 * A negator within the two words before the phrase (not counting the phrase's own first word), or within
 * the last two words of one of its gaps ("paspor sy gak ditahan", "phone was not taken"; "pernah" and "di"
 * are looked past: "hp tidak pernah di sita"). A negator further back in a gap negates another word:
 * "paspor gk tau kenapa ditahan".
 */
function negated(tokens: Token[], hit: Hit, negators: Set<string>): boolean {
  const conditional = conditionalWords();
  const denies = (i: number) => {
    const t = tokens[i];
    if (!t || t.clause !== tokens[hit.start]?.clause || !t.forms.some((f) => negators.has(f))) return false;
    // "kalau tidak dapat korban, dipukul": a condition, not a denial.
    return !tokens[i - 1]?.forms.some((f) => conditional.has(f));
  };
  for (let i = Math.max(0, hit.start - 2); i < hit.start; i++) if (denies(i)) return true;
  for (const [from, to] of hit.gaps) {
    let seen = 0;
    for (let i = to; i >= from && seen < 2; i--) {
      if (tokens[i]?.forms.some((f) => LOOKED_PAST.has(f))) continue;
      if (denies(i)) return true;
      seen++;
    }
  }
  return false;
}

/**
 * A passport to be held, not held yet: a plan word ("mau", "nanti", "will") right before the phrase or in
 * its gap ("agen mau pegang paspor", "paspornya nanti dipegang bos"). The check's red flag still sees it.
 */
function planned(tokens: Token[], hit: Hit): boolean {
  const plan = new Set(lexicon().planned);
  const before = [hit.start - 1, hit.start - 2, ...hit.gaps.flatMap(([from, to]) => range(from, to))];
  return before.some(
    (i) => tokens[i]?.clause === tokens[hit.start]?.clause && tokens[i]?.forms.some((f) => plan.has(f)),
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

/** Words between a negator and what it denies: "tidak pernah disita", "tidak di sita", "not ever taken". */
const LOOKED_PAST = new Set(["pernah", "di", "ever", "been", "kok", "sih"]);

/** Whether a negator stands right before `hit` ("tidak ada kontrak" is itself a phrase, so it is not negated). */
export function negatedHit(tokens: Token[], hit: Hit): boolean {
  return negated(tokens, hit, negatorWords());
}

const QUESTION_WORDS = new Set([
  "bagaimana",
  "apa",
  "harus",
  "should",
  "what",
  "how",
  "can",
  "bisa",
  "boleh",
  "siapa",
  "mana",
  "kemana",
]);

/** "kalau dikurung majikan harus gimana?": a condition asked about, not something happening. */
function hypothetical(tokens: Token[], hit: Hit): boolean {
  const conditional = conditionalWords();
  const clause = tokens[hit.start]?.clause;
  const asked = clauseTokens(tokens, clause).some((t) => t.forms.some((f) => QUESTION_WORDS.has(f)));
  if (!asked) return false;
  for (let i = hit.start - 1; i >= 0 && tokens[i]?.clause === clause; i--) {
    if (tokens[i]?.forms.some((f) => conditional.has(f))) return true;
  }
  return false;
}

function clauseTokens(tokens: Token[], clause: number | undefined): Token[] {
  return tokens.filter((t) => t.clause === clause);
}

/** The clause of `hit` speaks only of the past: a past word and no now-word. */
function inPastOnly(tokens: Token[], hit: Hit): boolean {
  const clause = clauseTokens(tokens, tokens[hit.start]?.clause);
  const lex = lexicon();
  const negators = negatorWords();
  // "tidak pernah" is "never", not the past.
  const past = findAll(clause, lex.past).filter((h) => !negated(clause, h, negators));
  return past.length > 0 && findAll(clause, lex.now).length === 0;
}

function isNow(tokens: Token[], hit: Hit, safeAgain: Hit[]): boolean {
  if (inPastOnly(tokens, hit) || hypothetical(tokens, hit)) return false;
  if (safeAgain.length === 0) return true;
  const clause = clauseTokens(tokens, tokens[hit.start]?.clause);
  // "Sudah pulang, tapi masih diancam": a now-word beside the danger keeps it.
  return findAll(clause, lexicon().now).length > 0;
}

function words(hits: Hit[]): string {
  return [...new Set(hits.map((h) => h.words))].slice(0, 4).join(", ");
}

const AGE_CUES = new Set(["umur", "usia", "age", "aged", "berumur", "berusia", "umurnya", "usianya"]);
const AGE_UNITS = new Set(["tahun", "yo", "years", "yrs", "year", "tahunan"]);
const DURATION_BEFORE = new Set([
  "selama",
  "sudah",
  "for",
  "kerja",
  "bekerja",
  "lebih",
  "hampir",
  "sejak",
  "setelah",
  "after",
  "kontrak",
  "dalam",
  "within",
  "per",
  "tiap",
]);
const DURATION_AFTER = new Set([
  "lalu",
  "ago",
  "lamanya",
  "kontrak",
  "penjara",
  "prison",
  "jail",
  "contract",
  "lagi",
]);
const IS = new Set(["is", "am", "was", "baru", "masih", "cuma", "hanya", "only", "just"]);
const POSSESSIVE = new Set([
  "saya",
  "kami",
  "kita",
  "aku",
  "dia",
  "beliau",
  "mereka",
  "my",
  "his",
  "her",
  "our",
  "their",
]);

/** An age under 18 ("umur 15", "16 tahun", "lima belas taun", "15yo") or a child word ("masih SMP", "anak"). */
function childSignal(tokens: Token[], negators: Set<string>): Signal | undefined {
  const ages = statedAges(tokens);
  const young = ages.find((a) => a.age < 18);
  if (young) return { kind: "child", words: young.words };
  const lex = lexicon();
  const hits = findAll(tokens, lex.signals.child).filter((h) => !negated(tokens, h, negators));
  if (hits.length > 0) return { kind: "child", words: words(hits) };
  if (ages.some((a) => a.age >= 18)) return undefined;
  const notChild = findAll(tokens, lex.not_child);
  const anak = compile("anak").parts[0];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || !anak || !("word" in anak) || !t.forms.includes(anak.word)) continue;
    if (notChild.some((h) => h.start <= i && i <= h.end)) continue;
    if (tokens[i + 1]?.forms.includes("buah")) continue;
    // "anak saya" may be grown up; it counts only with another sign of a child (an age, "masih SMP").
    if (
      tokens[i + 1]?.forms.some((f) => POSSESSIVE.has(f)) ||
      t.forms.some((f) => f !== "anak" && f.startsWith("anak"))
    )
      continue;
    return { kind: "child", words: t.raw };
  }
  return undefined;
}

/** Ages the text states, with the words that state them. */
export function statedAges(tokens: Token[]): { age: number; words: string }[] {
  const out: { age: number; words: string }[] = [];
  tokens.forEach((t, i) => {
    const n = Number(t.forms[0]);
    if (!/^\d{1,3}$/.test(t.forms[0] ?? "") || n < 1 || n > 99) return;
    const prev = tokens[i - 1]?.forms ?? [];
    const next = tokens[i + 1]?.forms ?? [];
    const after = tokens[i + 2]?.forms ?? [];
    const cue = prev.some((f) => AGE_CUES.has(f));
    const unit = next.some((f) => AGE_UNITS.has(f)) || next.includes("years") || next.includes("y");
    const duration = prev.some((f) => DURATION_BEFORE.has(f)) || after.some((f) => DURATION_AFTER.has(f));
    const stated =
      IS.has(prev[0] ?? "") &&
      n < 18 &&
      !next.some((f) => /^(jam|hari|bulan|juta|ribu|orang|kali|x)$/.test(f));
    if (cue || stated || (unit && n >= 5 && !duration)) {
      out.push({ age: n, words: [tokens[i - 1]?.raw, t.raw, tokens[i + 1]?.raw].filter(Boolean).join(" ") });
    }
  });
  return out;
}
