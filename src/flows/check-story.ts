import { t } from "./content/catalog.ts";
import { checkAnswersFrom, knownText, nextUnanswered } from "./draft-effects.ts";
import { type Effect, reply } from "./effects.ts";
import { freeText } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { CheckProgress, MainContext } from "./main-context.ts";
import type { FlowEvent, FlowOutput, Lang } from "./message.ts";
import { assessCheck, type CheckAnswers } from "./migration-check.ts";
import { renderEarlyWarning } from "./migration-render.ts";
import { text } from "./prompts.ts";
import { addToStory } from "./report.ts";
import { typedRedFlags, understand } from "./understand/understand.ts";

/** Answers typed as words (a place, a recruiter, a job): only their own question takes them. */
const WORD_ANSWERS = new Set(["destination", "agency", "job"]);

/**
 * "Disuruh bayar 35jt dulu, wajar ga?": money named in a typed offer gets the rule on placement costs at
 * once, instead of only after every question (a debt cut from wages has its own early warning).
 */
export function feeAdvice(lang: Lang, typed: string, answers: CheckAnswers): string | undefined {
  if (answers.fees_debt === "yes") return undefined;
  const fee = typedRedFlags(typed).find((f) => f.flag === "fees_debt");
  return fee ? t(lang, "typed.check_fee", { words: clip(fee.words, 40) }) : undefined;
}

/** The text typed at a check question, with the check; undefined anywhere else. */
function typedAtCheck(
  ctx: MainContext,
  event: FlowEvent,
): { typed: string; check: CheckProgress } | undefined {
  const typed = freeText(event)?.trim();
  if (!typed || !ctx.check || !ctx.step.startsWith("check.q.")) return undefined;
  return { typed, check: ctx.check };
}

/** What `typed` answers of the questions still open in `answers` (`only`: yes/no questions only). */
function freshAnswers(typed: string, answers: CheckAnswers, only?: "yesno"): CheckAnswers {
  const fresh: CheckAnswers = {};
  for (const [id, value] of Object.entries(checkAnswersFrom(typed, understand(typed)))) {
    if (answers[id] === undefined && !(only && WORD_ANSWERS.has(id))) fresh[id] = value;
  }
  return fresh;
}

/**
 * What a message typed at a check question tells when it is no answer to it ("katanya gajinya 12 juta
 * sebulan", "calonya org kampung sini jg"): answers to questions still open, read as in a first
 * message. Undefined when it tells nothing and is no sentence either (gibberish is asked again).
 */
function told(ctx: MainContext, event: FlowEvent): { fresh: CheckAnswers; typed: string } | undefined {
  const at = typedAtCheck(ctx, event);
  if (!at) return undefined;
  const { typed, check } = at;
  const fresh = freshAnswers(typed, check.answers);
  const sentence = typed.split(/\s+/).length >= 4 && understand(typed).lang !== undefined;
  return Object.keys(fresh).length > 0 || sentence ? { fresh, typed } : undefined;
}

/** Whether a message typed at a check question tells something of the offer (see {@link noteCheckStory}). */
export function tellsCheck(ctx: MainContext, event: FlowEvent): boolean {
  return told(ctx, event) !== undefined;
}

/** What `fresh` answers say back: the facts, a sign that makes the offer high, a fee's rule. */
function sayBack(lang: Lang, before: CheckAnswers, fresh: CheckAnswers, typed: string): FlowOutput[] {
  const answers = { ...before, ...fresh };
  const was = assessCheck(before);
  const now = assessCheck(answers);
  const known = knownText(lang, fresh);
  const fee = feeAdvice(lang, typed, answers);
  return [
    ...(known ? [reply(text(known))] : []),
    ...(now.level === "high" && was.level !== "high" ? [reply(text(renderEarlyWarning(lang, now)))] : []),
    ...(fee ? [reply(text(fee))] : []),
  ];
}

/**
 * Takes `fresh` answers into `check` with the words that told them: said back, a serious warning sign
 * or a fee explained at once (as for a first message), the words kept as the story of a report made
 * from the check, and the next open question from where the check stands.
 */
function take(
  lang: Lang,
  check: CheckProgress,
  fresh: CheckAnswers,
  typed: string,
): { check: CheckProgress; outputs: FlowOutput[] } {
  const answers = { ...check.answers, ...fresh };
  return {
    check: {
      ...check,
      answers,
      index: nextUnanswered(answers, check.index),
      story: addToStory(check.story ?? "", typed),
    },
    outputs: sayBack(lang, check.answers, fresh, typed),
  };
}

/**
 * Keeps what was typed at a check question that it does not answer: what it tells is taken and said
 * back (or a thank-you when it tells none), its words go with a report made from the check. The
 * question, or the next open one, is then asked again.
 */
export function noteCheckStory(ctx: MainContext, event: FlowEvent): Effect {
  const found = told(ctx, event);
  if (!found || !ctx.check) return {};
  const { check, outputs } = take(ctx.lang, ctx.check, found.fresh, found.typed);
  const thanks = outputs.length === 0 ? [reply(text(t(ctx.lang, "typed.check_noted")))] : [];
  return { patch: { check }, outputs: [...thanks, ...outputs] };
}

/**
 * The answer typed at a question asking for words (the recruiter, the job) may tell more ("temen lama sy,
 * katanya visa turis aja"): the answer is kept, and what else it tells is taken as at any question.
 */
export function tellMore(lang: Lang, check: CheckProgress, typed: string): Effect {
  const fresh = freshAnswers(typed, check.answers, "yesno");
  const sentence = typed.split(/\s+/).length >= 6;
  if (Object.keys(fresh).length === 0 && !sentence) return { patch: { check } };
  const taken = take(lang, check, fresh, typed);
  return { patch: { check: taken.check }, outputs: taken.outputs };
}

/**
 * What a message typed at a check question tells, kept in the check while the person is asked whether
 * to leave it for a report, or answered a question: it counts in the check, and is said back with its
 * warning. The current question stays (it is asked again), so no answer lands on another question.
 */
export function keepTold(
  ctx: MainContext,
  event: FlowEvent,
): { check: CheckProgress; outputs: FlowOutput[] } | undefined {
  const at = typedAtCheck(ctx, event);
  if (!at) return undefined;
  const { typed, check } = at;
  const fresh = freshAnswers(typed, check.answers);
  return {
    check: { ...check, answers: { ...check.answers, ...fresh }, story: addToStory(check.story ?? "", typed) },
    outputs: sayBack(ctx.lang, check.answers, fresh, typed),
  };
}
