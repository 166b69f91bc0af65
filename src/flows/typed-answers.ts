import { chosen } from "./effects.ts";
import type { MainContext } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";
import { PLACE_STEPS, read, typedText } from "./typed-effects.ts";
import { lexicon } from "./understand/lexicon.ts";
import { normalise } from "./understand/normalise.ts";
import { findAll } from "./understand/phrases.ts";
import { CONFIDENT } from "./understand/understand.ts";

/*
 * What is typed where a step asks for words (a place, a time, a recruiter, a job) but is not that answer:
 * a bare "ya" or an option number, or a question. The front door and the check's questions use these so
 * nothing of the kind is stored as the answer.
 */

/** A bare yes or no typed where a place is asked ("ya" at "which town?"): not a place. */
export function bareAnswerForPlace(ctx: MainContext, event: FlowEvent): boolean {
  return PLACE_STEPS.has(ctx.step) && bareAnswer(ctx, event);
}

/** Steps other than places that ask for words (who recruited, what job, where to): not a bare yes or "2". */
const WORDS_STEPS = new Set(["report.recruiter", "check.q.destination", "check.q.agency", "check.q.job"]);

/** A bare yes, no or option number typed where words are asked ("ya" at "who offered the job?"). */
export function bareAnswerForWords(ctx: MainContext, event: FlowEvent): boolean {
  return WORDS_STEPS.has(ctx.step) && bareAnswer(ctx, event);
}

/** Steps that store the typed words as the answer: a place, a time, a name, a job. */
export function wordsStep(ctx: MainContext): boolean {
  return PLACE_STEPS.has(ctx.step) || WORDS_STEPS.has(ctx.step) || ctx.step === "report.when";
}

/** A question typed where words are asked ("brp lama prosesnya?" at "which town?"): not the answer. */
export function asksInstead(ctx: MainContext, event: FlowEvent): boolean {
  const typed = typedText(event);
  const u = read(event);
  if (!typed || !u || !wordsStep(ctx) || u.place || u.intent !== "question") return false;
  return /\?\s*$/.test(typed) || u.confidence >= CONFIDENT;
}

function bareAnswer(ctx: MainContext, event: FlowEvent): boolean {
  const typed = typedText(event);
  // A number of an option on offer is that option, not a bare answer.
  if (!typed || chosen(ctx, event) !== undefined) return false;
  if (/^\s*\d{1,2}\s*[.)]?\s*$/.test(typed)) return true;
  const tokens = normalise(typed);
  if (tokens.length > 2) return false;
  const { yes, no } = lexicon().answers;
  // "done" or "skip" where neither is on offer is no name either.
  const { done = [], skip = [] } = lexicon().choices;
  return findAll(tokens, [...yes, ...no, ...done, ...skip]).some(
    (h) => h.start === 0 && h.end >= tokens.length - 1,
  );
}
