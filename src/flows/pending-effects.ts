import { keepTold } from "./check-story.ts";
import { t } from "./content/catalog.ts";
import { checkAnswersFrom } from "./draft-effects.ts";
import { type Effect, reply } from "./effects.ts";
import { inbound } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { Carry, LeaveTarget, MainContext, Pending } from "./main-context.ts";
import type { Choice, FlowEvent, Lang, OutboundMessage } from "./message.ts";
import { text } from "./prompts.ts";
import { inFlow, read, typedText } from "./typed-effects.ts";
import { matchChoice } from "./understand/choice-match.ts";
import { asksToReport } from "./understand/report-words.ts";
import type { Understanding } from "./understand/understand.ts";

/**
 * Pure effects for questions laid over the current step (`pending`): the offers a typed message
 * brings (a report, to leave, to delete, a language), their answers, and what a typed message
 * carries into the flow it starts.
 */

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
  // Deleting cannot be undone: a story that happens to open with "ada" or "iya" is not a yes to it.
  if (pending.kind === "delete" && typed.trim().split(/\s+/).length > 5) return undefined;
  const offered = choices.map((c) => ({ value: c.id.slice(prefix.length), label: c.label }));
  const offersReport = pending.kind === "story" || pending.kind === "danger";
  const asked = offersReport ? asksToReport(typed) : undefined;
  // Words about reporting decide first: "ga ngerti cara lapornya" is not the "Tidak" button, and
  // "jangan lapor dulu" names the report button but declines it.
  if (asked === "report") return "report";
  if (asked === "no") return pending.kind === "story" ? "no" : inFlow(ctx) ? "continue" : "menu";
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

/** At the menu: one tap starts a report that already holds the typed story and its kind. */
export function offerStory(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const { story, situation, before } = storySoFar(ctx, event);
  const pending: Pending = { kind: "story", story };
  if (situation) pending.situation = situation;
  const kind = situation
    ? t(ctx.lang, "typed.story.kind", { situation: t(ctx.lang, `report.situation.options.${situation}`) })
    : "";
  return {
    patch: { pending, where: whereOf(ctx, u) },
    outputs: [
      reply(
        pendingMessage(
          ctx.lang,
          pending,
          t(ctx.lang, before ? "typed.story.more" : "typed.story.offer", { kind }),
        ),
      ),
    ],
  };
}

/**
 * A question answered while a report from the person's own words is on offer: the offer stays, with
 * its story, shown again under the answer, so a question in between does not lose what they told.
 */
export function offerAgain(ctx: MainContext, key = "typed.story.still"): Effect {
  const pending = ctx.pending;
  if (pending?.kind !== "story" && pending?.kind !== "danger") return {};
  const body = t(ctx.lang, key);
  return {
    outputs: [reply(pendingMessage(ctx.lang, pending, body, pending.kind !== "danger" || inFlow(ctx)))],
  };
}

/** Outside a report: after the danger numbers, offer a report holding the words, or to go on. */
export function offerDanger(ctx: MainContext, event: FlowEvent): Effect {
  const { story, situation } = storySoFar(ctx, event);
  const pending: Pending = { kind: "danger", story };
  if (situation) pending.situation = situation;
  return {
    patch: { pending },
    outputs: [reply(pendingMessage(ctx.lang, pending, t(ctx.lang, "typed.danger.offer"), inFlow(ctx)))],
  };
}

/**
 * The story offered so far with this message added: a story told in several messages (people type in
 * short bursts) is kept whole, with the kind an earlier message showed when this one names none.
 */
function storySoFar(ctx: MainContext, event: FlowEvent) {
  const before = ctx.pending?.kind === "story" || ctx.pending?.kind === "danger" ? ctx.pending : undefined;
  const typed = typedText(event) ?? "";
  const story = clip(before?.story ? `${before.story}\n${typed}` : typed, 4000);
  return { story, situation: read(event)?.situation ?? before?.situation, before };
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
  // What the message told of the offer counts in the check, whichever way the person goes.
  const kept = flow === "check" ? keepTold(ctx, event) : undefined;
  return {
    patch: { pending, ...(kept ? { check: kept.check } : {}) },
    outputs: [...(kept?.outputs ?? []), reply(pendingMessage(ctx.lang, pending, body.join(" ")))],
  };
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

function whereOf(ctx: MainContext, u: Understanding | undefined): MainContext["where"] {
  return u && u.where !== "unknown" ? u.where : (ctx.where ?? null);
}
