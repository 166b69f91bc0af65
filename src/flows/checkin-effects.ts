import { checkinSchedule, DEFAULT_DAYS, daytimeFrom, LIGHT_DAYS, readDate, zoneOf } from "./checkin-time.ts";
import { ASK, checkinAnswer } from "./checkin-words.ts";
import { t } from "./content/catalog.ts";
import { type Effect, reply } from "./effects.ts";
import { freeText } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { CheckinDraft, CheckinPlan, MainContext } from "./main-context.ts";
import type { CheckinSignal, FlowEvent, FlowOutput, Lang } from "./message.ts";
import { text } from "./prompt-parts.ts";
import { dangerGuidance } from "./typed-effects.ts";

/**
 * Pure effects of safe-departure check-ins: taking the details, the schedule the named timers run
 * (`checkin` asks, `checkin.remind` reminds after 12 hours in day time, `checkin.missed` counts a miss
 * after 24 hours), the answers, the safe phrase and stopping.
 */

/** The named timers of check-ins. */
export const CHECKIN_TIMERS = ["checkin", "checkin.remind", "checkin.missed"] as const;
const HOUR = 3_600_000;

const draftOf = (ctx: MainContext): CheckinDraft => ctx.checkin ?? {};

/** Records the typed answer of a details step (`field`), clipped. */
export function recordDetail(ctx: MainContext, event: FlowEvent, field: keyof CheckinDraft): Effect {
  const typed = freeText(event);
  if (typed === undefined) return {};
  return { patch: { checkin: { ...draftOf(ctx), [field]: clip(typed, 200) } } };
}

/** The date the engine stamped on a message (for dates typed without a year). */
function todayOf(event: FlowEvent): string | undefined {
  return event.type === "user.message" ? event.today : undefined;
}

/** Whether the typed text is a departure date the bot can read. */
export function dateTyped(event: FlowEvent): boolean {
  const typed = freeText(event);
  return typed !== undefined && readDate(typed, todayOf(event)) !== undefined;
}

export function recordDate(ctx: MainContext, event: FlowEvent): Effect {
  const d = readDate(freeText(event) ?? "", todayOf(event));
  if (!d) return {};
  const date = `${d.y}-${String(d.m).padStart(2, "0")}-${String(d.d).padStart(2, "0")}`;
  return { patch: { checkin: { ...draftOf(ctx), date } } };
}

export function recordDays(ctx: MainContext, _e: FlowEvent, days: "default" | "light"): Effect {
  return { patch: { checkin: { ...draftOf(ctx), days } } };
}

/** Asks the engine to store the check-ins (the safe phrase leaves the context here). */
export function startCheckins(ctx: MainContext, _e: FlowEvent, consent: boolean): Effect {
  const d = draftOf(ctx);
  const output: FlowOutput = {
    type: "checkin.start",
    details: {
      nickname: d.nickname ?? "",
      departure: d.date ?? "",
      country: d.country ?? "",
      city: d.city ?? "",
      ...(d.agency ? { agency: d.agency } : {}),
      ...(d.employer ? { employer: d.employer } : {}),
    },
    ...(d.safePhrase ? { safePhrase: d.safePhrase } : {}),
    consent,
  };
  const { safePhrase: _dropped, ...rest } = d;
  return { patch: { checkin: rest }, outputs: [output] };
}

/** Check-ins stored: the plan the timers run, the first check-in scheduled, the family code kept. */
export function checkinsStarted(ctx: MainContext, event: FlowEvent): Effect {
  if (event.type !== "checkin.started" || !event.code) return {};
  const d = draftOf(ctx);
  const date = readDate(d.date ?? "");
  const zone = zoneOf(d.country ?? "");
  const days = d.days === "light" ? LIGHT_DAYS : DEFAULT_DAYS;
  const schedule = date ? checkinSchedule(date, zone, days, new Date(event.now)) : [];
  const plan: CheckinPlan = { zone, schedule, next: 0, awaiting: null, missed: 0, code: event.code };
  const first = schedule[0];
  return {
    patch: { checkins: plan, checkin: { code: event.code } },
    outputs: first ? [{ type: "schedule", name: "checkin", at: first }] : [],
  };
}

function question(lang: Lang, key: string): FlowOutput {
  const choices = (["ok", "help", "danger"] as const).map((v) => ({
    id: `${ASK}:${v}`,
    label: t(lang, `checkin.ask.${v}`),
  }));
  return { type: "reply", message: text(t(lang, key), choices), purpose: "checkin" };
}

/** The `checkin` timer: ask, then remind after 12 hours (in day time) and count a miss after 24. */
export function askCheckin(ctx: MainContext): Effect {
  const plan = ctx.checkins;
  const at = plan?.schedule[plan.next];
  if (!plan || !at) return {};
  const asked = new Date(at);
  const following = plan.schedule[plan.next + 1];
  const last = following === undefined;
  const outputs: FlowOutput[] = [
    question(ctx.lang, "checkin.ask.question"),
    { type: "checkin.record", signal: "sent", index: plan.next, ...(last ? { last } : {}) },
    {
      type: "schedule",
      name: "checkin.remind",
      at: daytimeFrom(new Date(asked.getTime() + 12 * HOUR), plan.zone).toISOString(),
    },
    { type: "schedule", name: "checkin.missed", at: new Date(asked.getTime() + 24 * HOUR).toISOString() },
    ...(following ? [{ type: "schedule", name: "checkin", at: following } as const] : []),
  ];
  return {
    patch: { checkins: { ...plan, next: plan.next + 1, awaiting: { index: plan.next, at } } },
    outputs,
  };
}

/** The `checkin.remind` timer: the question once more, while it waits for an answer. */
export function remindCheckin(ctx: MainContext): Effect {
  if (!ctx.checkins?.awaiting) return {};
  return { outputs: [question(ctx.lang, "checkin.ask.reminder")] };
}

/** The `checkin.missed` timer: a miss; family are alerted, and after two in a row officers (with consent). */
export function missCheckin(ctx: MainContext): Effect {
  const plan = ctx.checkins;
  if (!plan?.awaiting) return {};
  const missed = plan.missed + 1;
  return {
    patch: { checkins: { ...plan, awaiting: null, missed } },
    outputs: [{ type: "checkin.record", signal: "missed", index: plan.awaiting.index, missed }],
  };
}

/** Whether `event` answers a check-in of an active plan. */
export function answersCheckin(ctx: MainContext, event: FlowEvent): boolean {
  return !!ctx.checkins && checkinAnswer(event, !!ctx.checkins.awaiting) !== undefined;
}

/** Aman records the time; Butuh bantuan and Bahaya bring the abroad guidance at once and tell family. */
export function answerCheckin(ctx: MainContext, event: FlowEvent): Effect {
  const plan = ctx.checkins;
  const answer = checkinAnswer(event, !!plan?.awaiting);
  if (!plan || !answer) return {};
  const index = plan.awaiting?.index ?? Math.max(plan.next - 1, 0);
  const record: FlowOutput = { type: "checkin.record", signal: answer, index };
  const stop: FlowOutput[] = [
    { type: "timer.cancel", name: "checkin.remind" },
    { type: "timer.cancel", name: "checkin.missed" },
  ];
  const patch = { checkins: { ...plan, awaiting: null, missed: 0 } };
  if (answer === "ok") {
    return { patch, outputs: [reply(text(t(ctx.lang, "checkin.answer.ok"))), record, ...stop] };
  }
  return {
    patch,
    outputs: [
      reply(dangerGuidance(ctx.lang, "abroad")),
      reply(text(t(ctx.lang, `checkin.answer.${answer}`))),
      record,
      ...stop,
    ],
  };
}

/** The safe phrase: a neutral-looking reply and the abroad guidance; family and officers are told. */
export function safePhraseAlarm(ctx: MainContext): Effect {
  const plan = ctx.checkins;
  const signal: CheckinSignal = "safe_phrase";
  return {
    // Only a neutral reply on the screen: the phrase is for someone who cannot say they are in danger,
    // with someone watching; a block of crisis numbers would give them away. The alerts go out unseen.
    outputs: [
      reply(text(t(ctx.lang, "checkin.safe.reply"))),
      ...(plan
        ? [{ type: "checkin.record", signal, index: plan.awaiting?.index ?? plan.next } as const]
        : []),
    ],
  };
}

/** `/berhenti` or the menu: every check-in timer cancelled and the stored check-ins deleted at once. */
export function stopCheckins(ctx: MainContext): Effect {
  return {
    patch: { checkins: null, checkin: null },
    outputs: [
      ...CHECKIN_TIMERS.map((name) => ({ type: "timer.cancel", name }) as const),
      { type: "checkin.stop" },
      reply(text(t(ctx.lang, ctx.checkins ? "checkin.stopped" : "checkin.none"))),
    ],
  };
}

/** What `/hapus` adds: check-in timers cancelled, check-ins and family links deleted. */
export function forgetCheckins(): FlowOutput[] {
  return [
    ...CHECKIN_TIMERS.map((name) => ({ type: "timer.cancel", name }) as const),
    { type: "checkin.stop", forget: true },
  ];
}
