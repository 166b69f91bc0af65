import { t } from "./content/catalog.ts";
import { chosen, type Effect, promptOutputs, reply } from "./effects.ts";
import type { MainContext } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";
import { text } from "./prompts.ts";
import { PLACE_STEPS, read, typedText } from "./typed-effects.ts";
import { lexicon } from "./understand/lexicon.ts";
import { normalise } from "./understand/normalise.ts";
import { findAll } from "./understand/phrases.ts";
import { CONFIDENT } from "./understand/understand.ts";

/*
 * What is typed where a step asks for words (a place, a time, a recruiter, a job) but is not that answer:
 * a bare "ya" or an option number, or a question. The front door and the check's questions use these so
 * nothing of the kind is stored as the answer. And feelings or being lost, typed instead of an answer or at
 * rest, with the kind reply to them.
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

/** Steps that ask for a short answer, where a feeling typed instead is not taken as the answer. */
function asksShortAnswer(step: string): boolean {
  // Every report question but the story (where a feeling is part of what happened), and the check's.
  return (step.startsWith("report.") && step !== "report.narrative") || step.startsWith("check.q");
}

/**
 * A feeling typed instead of the answer ("takut bgt", "sy bingung kak"): a few words with a feeling and
 * nothing the person tells (no signal, no place). It is answered kindly and the question asked again.
 */
export function onlyFeeling(ctx: MainContext, event: FlowEvent): boolean {
  return asksShortAnswer(ctx.step) && isFeeling(event);
}

/** Lost, asking where to start, and nothing the person tells ("sy gk tau hrs gmn", "what should I do"). */
export function isLost(event: FlowEvent): boolean {
  return onlySays(event, lexicon().lost, 8);
}

/** A few typed words with a feeling and nothing the person tells: no signal, no place ("takut bgt"). */
export function isFeeling(event: FlowEvent): boolean {
  return onlySays(event, lexicon().feelings, 6);
}

/** At most `maxWords` typed words with a phrase of `phrases`, and no signal or place besides. */
function onlySays(event: FlowEvent, phrases: readonly string[], maxWords: number): boolean {
  const typed = typedText(event);
  if (!typed) return false;
  const tokens = normalise(typed);
  const u = read(event);
  if (tokens.length > maxWords || !u || u.signals.length > 0 || u.place) return false;
  return findAll(tokens, phrases).length > 0;
}

/** A short, kind answer to a greeting, thanks, a feeling or anything not understood, then the menu. */
export function socialReply(ctx: MainContext, event: FlowEvent): Effect {
  const intent = read(event)?.intent;
  const key = isLost(event)
    ? "typed.lost"
    : isFeeling(event)
      ? "typed.feeling_rest"
      : intent === "greeting"
        ? "typed.greeting"
        : intent === "thanks"
          ? "typed.thanks"
          : "typed.other";
  const next = { ...ctx, step: "menu", pending: null };
  // Right after the introduction (first typed contact), a hello needs no second hello. The menu is shown
  // here, so the menu's entry stays quiet.
  const line = ctx.introduced && intent === "greeting" ? [] : [reply(text(t(ctx.lang, key)))];
  return {
    patch: { pending: null, quiet: true, introduced: false },
    outputs: [...line, ...promptOutputs(next)],
  };
}
