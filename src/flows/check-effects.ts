import { feeAdvice, keepTold, tellMore } from "./check-story.ts";
import { t } from "./content/catalog.ts";
import { knownText, nextUnanswered } from "./draft-effects.ts";
import { chosen, type Effect, promptOutputs, reply } from "./effects.ts";
import { freeText } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { MainContext } from "./main-context.ts";
import type { FlowEvent, Lang } from "./message.ts";
import { assessCheck, checkQuestions } from "./migration-check.ts";
import {
  renderCheckDetail,
  renderCheckResult,
  renderEarlyWarning,
  renderFamilySummary,
} from "./migration-render.ts";
import { text } from "./prompts.ts";
import { QA_CONFIDENT, type QaEntry, type QaMatch, qaEntry, searchQa, searchQaScored } from "./qa-search.ts";
import { asksInstead } from "./typed-answers.ts";
import { lexicon } from "./understand/lexicon.ts";
import { normalise } from "./understand/normalise.ts";
import { findAll } from "./understand/phrases.ts";
import { asksToReport } from "./understand/report-words.ts";
import { CONFIDENT, has, typedRedFlags, understand } from "./understand/understand.ts";

/** Pure effects of the safe-migration check and of questions and answers. */

/**
 * Opens the check. A kept check (resumed from the menu) goes on where it was; an offer described in a
 * typed message starts with what it already told, said back to the person, at the first open question.
 */
export function startCheck(ctx: MainContext): Effect {
  if (ctx.check) return {};
  const answers = ctx.carry?.check ?? {};
  const known = knownText(ctx.lang, answers);
  const early = assessCheck(answers);
  // Serious warning signs in what was typed are said at once, before the remaining questions.
  const warning = early.level === "high" ? [reply(text(renderEarlyWarning(ctx.lang, early)))] : [];
  const fee = ctx.carry?.check ? feeAdvice(ctx.lang, ctx.carry.story ?? "", answers) : undefined;
  return {
    patch: {
      check: {
        index: nextUnanswered(answers),
        answers,
        // The offer as typed goes with a report made from the check.
        ...(ctx.carry?.check && ctx.carry.story ? { story: ctx.carry.story } : {}),
      },
      carry: null,
    },
    outputs: [
      reply(text(t(ctx.lang, "menu.check.intro"))),
      ...(known ? [reply(text(known))] : []),
      ...warning,
      ...(fee ? [reply(text(fee))] : []),
    ],
  };
}

/** "Is it safe?" / "hasil" typed during the check, not as an answer to a question. */
export function asksCheckResult(ctx: MainContext, event: FlowEvent): boolean {
  const typed = freeText(event);
  if (typed === undefined || ctx.check === null) return false;
  // A short question anywhere in the words ("itu aman ga ya", "is it safe?"), not a long answer.
  const tokens = normalise(typed.slice(0, 300));
  return tokens.length <= 6 && findAll(tokens, lexicon().choices.result ?? []).length > 0;
}

/** An early result is given now: it is already high, or it was asked for before. */
export function checkResultDue(ctx: MainContext): boolean {
  return ctx.check !== null && (ctx.check.peeked === true || assessCheck(ctx.check.answers).level === "high");
}

/**
 * The result asked for early: shown at once when it is already high (or asked for a second time);
 * otherwise what it looks like so far, and the same question again.
 */
export function peekCheckResult(ctx: MainContext): Effect {
  if (checkResultDue(ctx)) return showCheckResult(ctx);
  const check = ctx.check ?? { index: 0, answers: {} };
  const result = assessCheck(check.answers);
  return {
    patch: { check: { ...check, peeked: true } },
    outputs: [reply(text(t(ctx.lang, `migration.early.so_far.${result.level}`)))],
  };
}

/** The step id of the check question the user is at. */
export function checkStep(ctx: MainContext): string {
  const q = checkQuestions[ctx.check?.index ?? 0];
  return `check.q.${q?.id ?? "end"}`;
}

/** Whether the event answers the current check question (a choice it offers, or text for a text question). */
export function answersCheck(ctx: MainContext, event: FlowEvent): boolean {
  if (chosen(ctx, event) !== undefined) return true;
  const q = checkQuestions[ctx.check?.index ?? 0];
  const typed = freeText(event);
  if (q?.kind !== "text" || typed === undefined) return false;
  // A cry for help or a report code is not the name of a country or an agency.
  const u = understand(typed);
  if (has(u, "danger_now") || u.code) return false;
  // "makasih kak" or "halo" is no country, agency or job.
  if (
    ["thanks", "greeting"].includes(u.intent) &&
    u.confidence >= CONFIDENT &&
    typed.split(/\s+/).length <= 4
  )
    return false;
  // "lapor aja" or "apa itu TPPO?" is no agency or job either: it asks for a report or an answer.
  if (asksToReport(typed) === "report") return false;
  if (u.intent === "question" && (qaSure(ctx.lang, typed) || asksInstead(ctx, event))) return false;
  const words = typed.split(/\s+/).length;
  return !(
    words >= 5 &&
    u.confidence >= CONFIDENT &&
    ["report", "status", "emergency", "delete"].includes(u.intent)
  );
}

export function recordCheckAnswer(ctx: MainContext, event: FlowEvent): Effect {
  const check = ctx.check ?? { index: 0, answers: {} };
  const q = checkQuestions[check.index];
  const answers = { ...check.answers };
  const typed = freeText(event);
  if (q) {
    const value = chosen(ctx, event);
    if (value && value !== "skip") answers[q.id] = value;
    else if (value === undefined && typed !== undefined) answers[q.id] = clip(typed, 200);
  }
  const next = { ...check, index: nextUnanswered(answers, check.index + 1), answers };
  // A recruiter or job typed as a sentence may tell more of the offer.
  if (q?.kind === "text" && typed !== undefined) return tellMore(ctx.lang, next, typed);
  return { patch: { check: next } };
}

/** The result in one message: the verdict, what was understood, the three most important points, help. */
export function showCheckResult(ctx: MainContext): Effect {
  const answers = ctx.check?.answers ?? {};
  const result = assessCheck(answers);
  return { outputs: renderCheckResult(ctx.lang, result, answers).map((s) => reply(text(s))) };
}

/** "More detail": every point explained, the to-do list, the legal route, helplines, the family summary. */
export function showCheckDetail(ctx: MainContext): Effect {
  const answers = ctx.check?.answers ?? {};
  const result = assessCheck(answers);
  return {
    outputs: [
      ...renderCheckDetail(ctx.lang, result, answers).map((s) => reply(text(s))),
      reply(text(t(ctx.lang, "menu.check.summary_intro"))),
      reply(text(renderFamilySummary(ctx.lang, result, answers))),
    ],
  };
}

function answerText(lang: Lang, id: string): string | undefined {
  const entry = qaEntry(lang, id);
  return entry ? `${entry.question}\n\n${entry.answer}` : undefined;
}

let lastSearch: { lang: Lang; query: string; hits: QaEntry[] } | undefined;

/**
 * Q&A search for a typed question, cut to a sensible length. The last result is remembered
 * because the guard and the action of one transition ask the same question.
 */
export function searchTyped(lang: Lang, typed: string): QaEntry[] {
  const query = typed.slice(0, MAX_QUERY);
  if (lastSearch?.lang !== lang || lastSearch.query !== query) {
    lastSearch = { lang, query, hits: searchQa(lang, query) };
  }
  return lastSearch.hits;
}

const MAX_QUERY = 300;

/** The Q&A entry that answers each red flag a typed question can name (ids in qa.yaml). */
export const RED_FLAG_ANSWER: Record<string, string> = {
  tourist_visa: "tourist_visa",
  fees_debt: "upfront_payment",
  no_contract: "contract",
  social_media: "online_only_recruiter",
  too_good_salary: "high_salary_offer",
  unlicensed: "check_agency",
  passport_kept: "passport",
  falsified: "falsified_documents",
  non_placement: "non_placement_countries",
  hurried: "rushed_departure",
};

/**
 * A typed question's Q&A matches, best first, and whether the best is answered outright: a confident
 * match, or the answer to the one red flag the question names when the search has it among its hits
 * ("can I work in Japan with a tourist visa? my agent says it's fine": the extra words make the match
 * weak, the tourist visa is what is asked).
 */
function qaMatches(lang: Lang, typed: string): { scored: QaMatch[]; sure: boolean } {
  const query = typed.slice(0, MAX_QUERY);
  const scored = searchQaScored(lang, query);
  if ((scored[0]?.confidence ?? 0) >= QA_CONFIDENT) return { scored, sure: true };
  const named = new Set(typedRedFlags(query).flatMap((f) => RED_FLAG_ANSWER[f.flag] ?? []));
  const hit = named.size === 1 ? scored.find((m) => named.has(m.entry.id)) : undefined;
  if (!hit) return { scored, sure: false };
  return { scored: [hit, ...scored.filter((m) => m !== hit)], sure: true };
}

/** Whether typed text has a sure answer in the Q&A (one that is given, not "did you mean…?"). */
export function qaSure(lang: Lang, typed: string): boolean {
  return qaMatches(lang, typed).sure;
}

/**
 * The best answer to a typed question, with the next two hits offered as related questions. A weak
 * match is not answered: the two best titles are offered as "did you mean…?" instead.
 */
export function answerQa(ctx: MainContext, event: FlowEvent): Effect {
  const { scored, sure } = qaMatches(ctx.lang, freeText(event) ?? "");
  const best = scored[0];
  if (!best) return { patch: { qa: { related: [] } } };
  if (!sure && scored.length > 1) {
    return {
      patch: { qa: { related: scored.slice(0, 2).map((m) => m.entry.id), guess: true } },
      outputs: [],
    };
  }
  return {
    patch: { qa: { related: scored.slice(1, 3).map((m) => m.entry.id) } },
    outputs: [reply(text(`${best.entry.question}\n\n${best.entry.answer}`))],
  };
}

/** A related question the user tapped (`r0`, `r1`). */
export function answerRelated(ctx: MainContext, event: FlowEvent): Effect {
  const index = Number((chosen(ctx, event) ?? "r0").slice(1));
  const id = ctx.qa?.related[index];
  const entry = id ? qaEntry(ctx.lang, id) : undefined;
  if (!entry || !id) return {};
  const related = searchQa(ctx.lang, entry.question)
    .map((h) => h.id)
    .filter((h) => h !== id)
    .slice(0, 2);
  return { patch: { qa: { related } }, outputs: [reply(text(answerText(ctx.lang, id) ?? entry.answer))] };
}

/** The answer to a question typed at a step; at a check question, what it tells of the offer counts. */
export function answerQaInline(ctx: MainContext, event: FlowEvent): Effect {
  const kept = keepTold(ctx, event);
  const answer = answerQa(ctx, event).outputs ?? [];
  return {
    ...(kept ? { patch: { check: kept.check } } : {}),
    outputs: [...answer, ...(kept?.outputs ?? [])],
  };
}

/** A question typed at a step that asks for words: its sure answer, or where to ask it; the step again. */
export function answerOrLater(ctx: MainContext, event: FlowEvent): Effect {
  const q = freeText(event) ?? "";
  const answer = qaSure(ctx.lang, q)
    ? (answerQa(ctx, event).outputs ?? [])
    : [reply(text(t(ctx.lang, "typed.question_later")))];
  return { outputs: [...answer, ...promptOutputs(ctx)] };
}
