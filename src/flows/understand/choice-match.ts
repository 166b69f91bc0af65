import { lexicon } from "./lexicon.ts";
import { normalise, type Token } from "./normalise.ts";
import { findAll, wordMatches } from "./phrases.ts";

/** An offered option as the matcher sees it: its value (`yes`, `report`…) and what the person reads. */
export type Offered = { value: string; label: string; description?: string };

/** How an answer to a yes/no question was typed, when it was. */
export type TypedAnswer = "yes" | "no" | "not_yet" | "unsure";

/**
 * Picks the option a typed answer means, or undefined when it means none (or several equally): its number
 * ("2", "2."), an everyday yes/no/not-sure ("iya", "yoi", "gak", "belum", "gak tau", "ya, 15 juta"), the
 * option's label or a key word of it ("lapor", "cek status"), or a synonym from the lexicon's `choices`.
 * Typos are forgiven on longer words. Pure.
 */
export function matchChoice(text: string, offered: readonly Offered[]): string | undefined {
  const trimmed = text.trim();
  if (!trimmed || offered.length === 0) return undefined;
  const number = /^(\d{1,2})\s*[.)]?$/.exec(trimmed);
  if (number) return offered[Number(number[1]) - 1]?.value;
  const tokens = normalise(trimmed.slice(0, 300));
  if (tokens.length === 0) return undefined;
  // "dua", "nomor 2", "pilih yg 3": an option's number in words.
  const counted = tokens.filter((t) => !NUMBER_WORDS.has(t.forms[0] ?? "") && !FILLER.has(t.forms[0] ?? ""));
  if (counted.length === 1 && tokens.length <= 3 && /^\d{1,2}$/.test(counted[0]?.forms[0] ?? "")) {
    return offered[Number(counted[0]!.forms[0]) - 1]?.value;
  }

  const values = new Set(offered.map((o) => o.value));
  // "skip" where there is no "Lewati" but a "not sure": that is how to pass a question here.
  if (
    !values.has("skip") &&
    values.has("unsure") &&
    tokens.length <= 3 &&
    only(tokens, lexicon().choices.skip ?? [])
  )
    return "unsure";
  const answer = typedAnswer(tokens);
  if (answer) {
    if (values.has(answer)) return answer;
    if (answer === "not_yet" && values.has("no")) return "no";
    // A bare "tidak" / "ga ada" where the question can be skipped (and has no "no"): skip it. Not
    // "tidak boleh keluar", which says something.
    if (answer === "no" && values.has("skip") && !values.has("no") && only(tokens, lexicon().answers.no))
      return "skip";
    // "y" / "ya" at "Is everything right? Send the report": send it.
    if (answer === "yes" && tokens.length <= 2 && values.has("confirm")) return "confirm";
  }
  // A longer message is content (a story, a question), not the name of an option.
  if (tokens.length > MAX_PICK_WORDS) return undefined;
  const firstClause = tokens.filter((t) => t.clause === tokens[0]?.clause);
  let best: { value: string; score: number } | undefined;
  let tie = false;
  for (const o of offered) {
    const score = optionScore(firstClause, o);
    if (score <= 0) continue;
    if (!best || score > best.score) {
      best = { value: o.value, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.value : undefined;
}

/**
 * The yes / no / not yet / not sure a typed text opens with ("iya", "ga", "belum", "gak tau sih",
 * "ya, 15 juta"), or undefined. Not-sure is read first, since "tidak tahu" starts with "tidak".
 */
export function typedAnswer(tokens: Token[]): TypedAnswer | undefined {
  const answers = lexicon().answers;
  const head = tokens.filter((t) => t.clause === tokens[0]?.clause).slice(0, 4);
  const at = (list: readonly string[]) => findAll(head, list).some((h) => h.start === 0);
  if (at(answers.unsure)) return "unsure";
  if (at(answers.not_yet) && !at(["belum tentu"])) return "not_yet";
  if (at(answers.no)) return "no";
  if (at(answers.yes)) return "yes";
  return undefined;
}

/** The whole message, filler aside, is one of `phrases` ("tidak", "ga ada kak", "skip aja"). */
function only(tokens: Token[], phrases: readonly string[]): boolean {
  const core = tokens.filter((t) => !FILLER.has(t.forms[0] ?? ""));
  return core.length > 0 && findAll(core, phrases).some((h) => h.start === 0 && h.end === core.length - 1);
}

/** Words around an option's number ("nomor 2", "pilih yang 3", "no. 1", "option 2"). */
const NUMBER_WORDS = new Set(["nomor", "no", "nmr", "pilih", "pilihan", "option", "number", "angka"]);

/** Longest typed text read as naming an option ("mau lapor dong", "cek status laporan saya"). */
const MAX_PICK_WORDS = 6;

const FILLER = new Set([
  "saya",
  "mau",
  "ingin",
  "pengen",
  "tolong",
  "please",
  "i",
  "want",
  "to",
  "the",
  "a",
  "dong",
  "aja",
  "saja",
  "yang",
  "kakak",
  "deh",
  "ya",
  "iya",
  "min",
  "kak",
]);

/** How well a typed text names one option: whole label 10, a lexicon synonym 5, key words 1 each. */
function optionScore(tokens: Token[], option: Offered): number {
  const label = normalise(option.label).map((t) => t.forms[0] ?? "");
  const typed = tokens.map((t) => t.forms[0] ?? "");
  if (label.join(" ") === typed.join(" ")) return 10;
  const synonyms = lexicon().choices[option.value] ?? [];
  if (
    findAll(tokens, synonyms).some(
      (h) => h.end - h.start + 1 >= Math.min(tokens.length, 3) || tokens.length <= 3,
    )
  ) {
    return 5;
  }
  // Key words: short answers only, so a story that happens to contain "lapor" is not a menu choice.
  const meaningful = tokens.filter((t) => !FILLER.has(t.forms[0] ?? ""));
  if (meaningful.length === 0 || meaningful.length > 3) return 0;
  const keys = label.filter((w) => w.length >= 3 && !FILLER.has(w));
  let hits = 0;
  for (const t of meaningful) if (keys.some((k) => wordMatches(t, k, k.length >= 5))) hits++;
  return hits === meaningful.length ? hits : 0;
}
