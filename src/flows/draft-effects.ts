import { t } from "./content/catalog.ts";
import type { Effect } from "./effects.ts";
import { clip } from "./limits.ts";
import type { MainContext } from "./main-context.ts";
import type { Lang } from "./message.ts";
import { type CheckAnswers, checkQuestions } from "./migration-check.ts";
import { inFlow } from "./typed-effects.ts";
import { jobIn, recruiterIn } from "./understand/named.ts";
import { has, placeName, typedRedFlags, type Understanding } from "./understand/understand.ts";

/**
 * Pure effects for drafts kept aside (`paused`) while the person does something else, and for
 * check answers a typed offer already gives.
 */

/** Before leaving a report or check for something else, keep it to come back to. */
export function pauseDraft(ctx: MainContext): Effect {
  if (ctx.step.startsWith("report.") && ctx.report && inFlow(ctx)) {
    return {
      patch: {
        paused: { flow: "report", step: ctx.step, report: ctx.report, editing: ctx.editing, check: null },
      },
    };
  }
  if (ctx.step.startsWith("check.q.") && ctx.check) {
    return {
      patch: { paused: { flow: "check", step: ctx.step, report: null, editing: false, check: ctx.check } },
    };
  }
  return {};
}

/** A report refused by the daily limit is kept at its review, to be sent from the menu another day. */
export function keepForTomorrow(ctx: MainContext): Effect {
  if (!ctx.report) return {};
  return {
    patch: {
      paused: { flow: "report", step: "report.review", report: ctx.report, editing: false, check: null },
    },
  };
}

/** Brings a kept report or check back; the resume state then enters its step. */
export function resumeDraft(ctx: MainContext): Effect {
  const p = ctx.paused;
  if (!p) return {};
  return { patch: { report: p.report, check: p.check, editing: p.editing, step: p.step, paused: null } };
}

/**
 * Check answers a described offer already gives ("visa turis", "utang potong gaji", "lewat fb", "lewat
 * calo", "besok"). A fee alone ("bayar 15 juta") answers nothing: only a fee above the official cost
 * breakdown, without a receipt, or a debt cut from wages is a red flag, so those questions are asked.
 */
export function checkAnswersFrom(typed: string, u: Understanding): CheckAnswers {
  const answers: CheckAnswers = {};
  if (u.destination) answers.destination = clip(placeName(u.destination), 200);
  const found = typedRedFlags(typed);
  const flags = new Set(found.map((f) => f.flag));
  const words = (flag: string) => found.find((f) => f.flag === flag)?.words ?? "";
  const lower = typed.toLowerCase();
  if (flags.has("tourist_visa")) answers.tourist_visa = "yes";
  if (flags.has("fees_debt") && DEBT.test(lower)) answers.fees_debt = "yes";
  if (flags.has("social_media")) answers.social_media_offer = "yes";
  if (flags.has("too_good_salary")) answers.salary_too_good = "yes";
  if (flags.has("no_contract"))
    answers.written_contract =
      NOT_YET.test(words("no_contract")) || NOT_YET_AFTER.test(lower) ? "not_yet" : "no";
  if (flags.has("unlicensed")) {
    if (NEVER_MET.test(lower)) answers.agency_met = "no";
    else if (INDIVIDUAL.test(lower)) answers.agency = clip(words("unlicensed") || "calo", 200);
    else answers.agency_checked = "no";
  }
  if (flags.has("hurried") && NO_RETURN.test(lower)) answers.return_ticket = "no";
  if (flags.has("passport_kept") || has(u, "passport_held")) answers.passport_kept = "yes";
  if (flags.has("falsified")) answers.falsified_docs = "yes";
  if (has(u, "departure_soon")) answers.departure_soon = "yes";
  // The job and the recruiter the message names ("jd admin", "lewat PT Maju") are not asked again.
  const job = jobIn(typed);
  if (job) answers.job = clip(job, 200);
  const recruiter = recruiterIn(typed);
  if (recruiter && !answers.agency) answers.agency = clip(recruiter, 200);
  return answers;
}

const DEBT = /\b(utang|hutang|pinjam\w*|potong\w*|dipotong|debt|loan|deduct\w*|salary cut)\b/;
const NEVER_MET = /\b(belum|tidak|tdk|gak|ga|gk|never)\b.*\b(ketemu|bertemu|met)\b/;
const INDIVIDUAL = /\b(calo|sponsor|perorangan|individual)\b/;
const NO_RETURN = /tiket pulang|return ticket|one way/;
const NOT_YET = /\b(belum|blm|yet)\b/;
const NOT_YET_AFTER = /\b(kontrak\w*|contract)\s+(belum|blm|yet)\b/;

/** The first check question not answered yet. */
export function nextUnanswered(answers: CheckAnswers, from = 0): number {
  let i = from;
  while (i < checkQuestions.length && answers[checkQuestions[i]?.id ?? ""] !== undefined) i++;
  return i;
}

/** The answers a typed offer gave, in words, for "I have noted: …". */
export function knownText(lang: Lang, answers: CheckAnswers): string | undefined {
  // What was typed is shown as typed (a place, a recruiter, a job); a red flag by its description.
  const parts = Object.entries(answers).map(([id, value]) =>
    ["destination", "agency", "job"].includes(id)
      ? t(lang, `typed.known.${id}`, { value: clip(value, 40) })
      : t(lang, `typed.known.${id}`),
  );
  return parts.length > 0 ? t(lang, "typed.check_known", { known: parts.join(", ") }) : undefined;
}
