import { t } from "./content/catalog.ts";
import { blankDraft, type Effect, promptOutputs, reply } from "./effects.ts";
import { inbound, wantsLanguage, wantsMenu } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { Carry, LeaveTarget, MainContext, Pending, ReportDraft } from "./main-context.ts";
import type { Choice, FlowEvent, Lang, OutboundMessage } from "./message.ts";
import { type CheckAnswers, checkQuestions } from "./migration-check.ts";
import { text } from "./prompts.ts";
import { matchChoice } from "./understand/choice-match.ts";
import { has, isCountry, typedRedFlags, type Understanding, understand } from "./understand/understand.ts";

/**
 * Pure effects for typed text: danger help in the very next reply, routing a typed message by what it
 * asks, questions laid over the current step (`pending`), and drafts kept aside (`paused`).
 */

/** The typed text of a message, or undefined (buttons, media, commands, global keywords). */
export function typedText(event: FlowEvent): string | undefined {
  const m = inbound(event);
  if (m?.type !== "text" || wantsMenu(event) || wantsLanguage(event)) return undefined;
  const trimmed = m.text.trim();
  return trimmed ? trimmed : undefined;
}

let last: { text: string; u: Understanding } | undefined;

/** What the typed text of `event` says (cached: the guards and actions of one event ask the same). */
export function read(event: FlowEvent): Understanding | undefined {
  const typed = typedText(event);
  if (typed === undefined) return undefined;
  if (last?.text !== typed) last = { text: typed, u: understand(typed) };
  return last.u;
}

/** Steps whose typed text is stored as it is (the story, a place, a time, the recruiter, answers to officers). */
const FREE_TEXT_STEPS = new Set([
  "report.narrative",
  "report.country",
  "report.city",
  "report.when",
  "report.recruiter",
  "status.code",
  "status.pin",
  "status.answer",
  "status.add",
]);

/** The person is in the middle of a report, a check or an open case. */
export function inFlow(ctx: MainContext): boolean {
  if (
    ["report.submitting", "report.failed", "status.lookup", "status.appending", "status.failed"].includes(
      ctx.step,
    )
  )
    return false;
  return /^(report|check\.q|status)\./.test(ctx.step);
}

/** Whether the front door has work: danger in the words, or a story typed at a report question. */
export function needsFrontDoor(ctx: MainContext, event: FlowEvent): boolean {
  if (event.type !== "user.message" || event.front) return false;
  const u = read(event);
  if (!u) return false;
  if (has(u, "danger_now")) return true;
  return storyAtReportQuestion(ctx, event);
}

/** A story of four or more words typed at a report question (it joins the report's story). */
export function storyAtReportQuestion(ctx: MainContext, event: FlowEvent): boolean {
  const typed = typedText(event);
  if (!typed || !ctx.report || !ctx.step.startsWith("report.") || FREE_TEXT_STEPS.has(ctx.step)) return false;
  return typed.split(/\s+/).length >= 4;
}

/** The emergency numbers for where the person is (Indonesia, abroad, or both when unknown). */
export function dangerGuidance(lang: Lang, where: MainContext["where"]): OutboundMessage {
  return text(t(lang, `typed.danger.${where ?? "unknown"}`));
}

/**
 * Looks at a typed message before the step does: danger words bring the emergency numbers for where the
 * person is, at once; in a report, a story typed at a question joins the report's story so nobody types
 * it twice. The message is then raised again for the step.
 */
export function frontDoor(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const typed = typedText(event);
  if (!u || !typed) return {};
  const lang = !ctx.langChosen && u.lang ? u.lang : ctx.lang;
  const where = u.where !== "unknown" ? u.where : (ctx.where ?? null);
  const patch: Partial<MainContext> = { lang, where };
  const outputs = has(u, "danger_now") ? [reply(dangerGuidance(lang, where))] : [];
  if (ctx.report && storyAtReportQuestion(ctx, event)) {
    patch.report = withStory(ctx.report, typed);
  }
  return { patch, outputs };
}

function withStory(draft: ReportDraft, typed: string): ReportDraft {
  if (draft.narrative.includes(typed)) return draft;
  const narrative = draft.narrative ? `${draft.narrative}\n\n${typed}` : typed;
  return { ...draft, narrative: narrative.slice(0, 20000) };
}

/** First typed contact: the language of the text, and who this is before anything else. */
export function firstContact(ctx: MainContext, event: FlowEvent): Effect {
  const lang = read(event)?.lang ?? ctx.lang;
  return {
    patch: { lang, langChosen: true, quiet: true, introduced: true },
    outputs: [reply(text(t(lang, "typed.intro")))],
  };
}

/** A typed intent is one of `intents`, or a danger story counts as a report. */
export function intentIs(event: FlowEvent, intents: readonly string[]): boolean {
  const u = read(event);
  if (!u) return false;
  if (intents.includes("report") && has(u, "danger_now")) return true;
  return intents.includes(u.intent);
}

/** A story worth keeping: a few words or a signal ("mau lapor" alone is not a story). */
export function isStory(event: FlowEvent): boolean {
  const u = read(event);
  const typed = typedText(event) ?? "";
  return !!u && (u.signals.length > 0 || typed.split(/\s+/).length >= 5);
}

/** At the menu: one tap starts a report that already holds the typed story and its kind. */
export function offerStory(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const story = clip(typedText(event) ?? "", 4000);
  const pending: Pending = { kind: "story", story };
  if (u?.situation) pending.situation = u.situation;
  const kind = u?.situation
    ? t(ctx.lang, "typed.story.kind", { situation: t(ctx.lang, `report.situation.options.${u.situation}`) })
    : "";
  return {
    patch: { pending, where: whereOf(ctx, u) },
    outputs: [reply(pendingMessage(ctx.lang, pending, t(ctx.lang, "typed.story.offer", { kind })))],
  };
}

/** Outside a report: after the danger numbers, offer a report holding the words, or to go on. */
export function offerDanger(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const pending: Pending = { kind: "danger", story: clip(typedText(event) ?? "", 4000) };
  if (u?.situation) pending.situation = u.situation;
  return {
    patch: { pending },
    outputs: [reply(pendingMessage(ctx.lang, pending, t(ctx.lang, "typed.danger.offer"), inFlow(ctx)))],
  };
}

/** In the middle of a flow, another task was typed: ask before leaving; the answers are kept. */
export function offerLeave(ctx: MainContext, event: FlowEvent, to?: LeaveTarget): Effect {
  const u = read(event);
  const target: LeaveTarget =
    to ?? ((u?.intent === "status" ? "status" : u?.intent) as LeaveTarget) ?? "menu";
  const carry = carryFrom(event);
  const pending: Pending = { kind: "leave", to: target, carry };
  const flow = ctx.step.startsWith("report.") ? "report" : ctx.step.startsWith("check.") ? "check" : "status";
  const body = [t(ctx.lang, `typed.leave.${flow}`), t(ctx.lang, `typed.leave.to.${target}`)];
  if (flow !== "status") body.push(t(ctx.lang, "typed.leave.kept"));
  return { patch: { pending }, outputs: [reply(pendingMessage(ctx.lang, pending, body.join(" ")))] };
}

/** `/hapus` from anywhere: confirm first; "no" returns to the exact question. */
export function offerDelete(ctx: MainContext): Effect {
  const pending: Pending = { kind: "delete" };
  return {
    patch: { pending },
    outputs: [reply(pendingMessage(ctx.lang, pending, t(ctx.lang, "menu.delete.confirm")))],
  };
}

/** `/bahasa` from anywhere: pick a language; the current question is shown again in it. */
export function offerLanguage(ctx: MainContext): Effect {
  const pending: Pending = { kind: "language" };
  return {
    patch: { pending },
    outputs: [reply(pendingMessage(ctx.lang, pending, t("id", "menu.language.prompt")))],
  };
}

/** The choices of a pending question, with ids `pending.<kind>:<value>`. */
export function pendingChoices(lang: Lang, pending: Pending, inFlowNow = true): Choice[] {
  const c = (value: string, label: string): Choice => ({
    id: `pending.${pending.kind}:${value}`,
    label: clip(label, 20),
  });
  switch (pending.kind) {
    case "danger":
      return [
        c("report", t(lang, "typed.danger.report")),
        inFlowNow ? c("continue", t(lang, "typed.danger.continue")) : c("menu", t(lang, "typed.danger.menu")),
      ];
    case "story":
      return [c("report", t(lang, "typed.story.yes")), c("no", t(lang, "typed.story.no"))];
    case "leave":
      return [c("yes", t(lang, "typed.leave.yes")), c("no", t(lang, "typed.leave.no"))];
    case "delete":
      return [c("yes", t(lang, "menu.delete.yes")), c("no", t(lang, "menu.delete.no"))];
    case "language":
      return [c("id", t("id", "menu.language.id")), c("en", t("en", "menu.language.en"))];
  }
}

function pendingMessage(lang: Lang, pending: Pending, body: string, inFlowNow = true): OutboundMessage {
  return text(body, pendingChoices(lang, pending, inFlowNow));
}

/** The pending answer a tap or typed text gives, or undefined. */
export function pendingAnswer(ctx: MainContext, event: FlowEvent): string | undefined {
  const pending = ctx.pending;
  if (!pending) return undefined;
  const m = inbound(event);
  const prefix = `pending.${pending.kind}:`;
  const choices = pendingChoices(ctx.lang, pending, pending.kind !== "danger" || inFlow(ctx));
  if (m?.type === "choice") {
    return m.id.startsWith(prefix) && choices.some((c) => c.id === m.id)
      ? m.id.slice(prefix.length)
      : undefined;
  }
  const typed = typedText(event);
  if (!typed) return undefined;
  const offered = choices.map((c) => ({ value: c.id.slice(prefix.length), label: c.label }));
  const value = matchChoice(typed, offered);
  if (value) return value;
  // "ya" and "tidak" answer a yes/no question laid over the step.
  const yesNo = matchChoice(typed, [
    { value: "yes", label: "yes" },
    { value: "no", label: "no" },
  ]);
  const map: Record<string, Record<string, string>> = {
    danger: { yes: "report", no: inFlow(ctx) ? "continue" : "menu" },
    story: { yes: "report", no: "no" },
    leave: { yes: "yes", no: "no" },
    delete: { yes: "yes", no: "no" },
  };
  return yesNo ? map[pending.kind]?.[yesNo] : undefined;
}

/** A report that starts with the typed story, its kind and where, from a pending offer or a carry. */
export function reportFromStory(ctx: MainContext): Effect {
  const p = ctx.pending;
  const source = p?.kind === "story" || p?.kind === "danger" ? p : p?.kind === "leave" ? p.carry : ctx.carry;
  const story = source?.story ?? "";
  const draft: ReportDraft = { ...blankDraft(), narrative: story };
  if (source?.situation) draft.situation = source.situation;
  const u = story ? understand(story) : undefined;
  if (u?.where === "abroad" && u.place) {
    if (isCountry(u.place)) draft.country = clip(u.place, 200);
    else draft.city = clip(u.place, 200);
  }
  if (u?.where === "indonesia") {
    draft.country = t(ctx.lang, "report.country.indonesia");
    if (u.place && !/^(indonesia|indo)$/i.test(u.place)) draft.city = clip(u.place, 200);
  }
  if (u && has(u, "departure_soon")) draft.departureWithin72h = true;
  return {
    patch: { report: draft, editing: false, pending: null, carry: null, check: null },
    outputs: [
      reply(text(t(ctx.lang, "report.intro"))),
      ...(story ? [reply(text(t(ctx.lang, "typed.story.started")))] : []),
    ],
  };
}

/** What a typed message carries into the flow it starts: a code, the story, answers for the check. */
export function carryFrom(event: FlowEvent): Carry {
  const u = read(event);
  const typed = typedText(event) ?? "";
  const carry: Carry = {};
  if (u?.code) carry.code = u.code;
  if (typed) carry.story = clip(typed, 4000);
  if (u?.situation) carry.situation = u.situation;
  if (u?.intent === "check") carry.check = checkAnswersFrom(typed, u);
  if (u?.intent === "question") carry.question = clip(typed, 300);
  return carry;
}

/** Stores what the typed message carries, for the flow it starts. */
export function carryTyped(_ctx: MainContext, event: FlowEvent): Effect {
  return { patch: { carry: carryFrom(event) } };
}

/** Makes a pending "leave" carry the one to use, and drops the pending question. */
export function carryPending(ctx: MainContext): Effect {
  return {
    patch: { carry: ctx.pending?.kind === "leave" ? (ctx.pending.carry ?? null) : null, pending: null },
  };
}

/**
 * Check answers a described offer already gives ("visa turis", "utang potong gaji", "lewat fb", "lewat
 * calo", "besok"). A fee alone ("bayar 15 juta") answers nothing: only a fee above the official cost
 * breakdown, without a receipt, or a debt cut from wages is a red flag, so those questions are asked.
 */
export function checkAnswersFrom(typed: string, u: Understanding): CheckAnswers {
  const answers: CheckAnswers = {};
  if (u.destination) answers.destination = clip(u.destination, 200);
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
  const parts = Object.entries(answers).map(([id, value]) =>
    id === "destination"
      ? t(lang, "typed.known.destination", { value: clip(value, 40) })
      : t(lang, `typed.known.${id}`),
  );
  return parts.length > 0 ? t(lang, "typed.check_known", { known: parts.join(", ") }) : undefined;
}

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

/** Brings a kept report or check back; the resume state then enters its step. */
export function resumeDraft(ctx: MainContext): Effect {
  const p = ctx.paused;
  if (!p) return {};
  return { patch: { report: p.report, check: p.check, editing: p.editing, step: p.step, paused: null } };
}

/** A short, kind answer to a greeting, thanks or anything not understood, then the menu. */
export function socialReply(ctx: MainContext, event: FlowEvent): Effect {
  const intent = read(event)?.intent;
  const key = intent === "greeting" ? "typed.greeting" : intent === "thanks" ? "typed.thanks" : "typed.other";
  const next = { ...ctx, step: "menu", pending: null };
  // Right after the introduction (first typed contact), a hello needs no second hello. The menu is shown
  // here, so the menu's entry stays quiet.
  const line = ctx.introduced && intent === "greeting" ? [] : [reply(text(t(ctx.lang, key)))];
  return {
    patch: { pending: null, quiet: true, introduced: false },
    outputs: [...line, ...promptOutputs(next)],
  };
}

function whereOf(ctx: MainContext, u: Understanding | undefined): MainContext["where"] {
  return u && u.where !== "unknown" ? u.where : (ctx.where ?? null);
}
