import { hasKey, t } from "../../flows/content/catalog.ts";
import type { Choice, OutboundMessage } from "../../flows/message.ts";
import type { Report } from "../../flows/report.ts";
import { triage } from "../../flows/triage.ts";
import type { Urgency } from "./escalation-plan.ts";
import { type CaseStatus, OUTCOMES, type Outcome, officerButtonId } from "./officer-commands.ts";
import { block, clip, localDateTime, MAX_MESSAGE, oneLine } from "./text-format.ts";

/**
 * What an officer's summary is built from. Deliberately nothing about the reporter: the bot does
 * not hold their identity in plain form, and this type has no field that could carry it.
 */
export type PoliceSummaryInput = {
  code: string;
  urgency: Urgency;
  /** Triage reason codes (`danger_now`, `confined`, …); unknown codes are shown as words. */
  reasons: readonly string[];
  report: Report;
  receivedAt: Date;
  evidenceCount: number;
  /** Escalation step that sends this summary; tier > 0 or round > 0 is said in the message. */
  tier?: number;
  round?: number;
  /** Zone for the times shown; default Asia/Makassar (WITA). */
  timeZone?: string;
};

/**
 * The police-ready alert for a new case: an Indonesian summary (≤ 4096 characters) with the
 * buttons Terima / Ambil kasus / Tanya pelapor / Tutup kasus.
 */
export function policeSummary(input: PoliceSummaryInput): OutboundMessage {
  return { type: "text", text: summaryText(input, []), choices: caseChoices(input.code) };
}

/** A case's state as officers see it in the detail view. */
export type CaseDetailInput = PoliceSummaryInput & {
  status: CaseStatus;
  outcome?: Outcome;
  /** Name of the officer who claimed the case. */
  assignee?: string;
  /** Officer notes, oldest first; the latest few are shown. */
  notes?: readonly { at: Date; author: string; text: string }[];
  /** Questions relayed to the reporter, oldest first; the latest few are shown. */
  questions?: readonly { at: Date; text: string; answer?: string }[];
};

/** The case detail for `/kasus <code>`: the summary plus status, assignee, notes and questions. */
export function caseDetailText(input: CaseDetailInput): OutboundMessage {
  const zone = input.timeZone ?? DEFAULT_ZONE;
  const extra = [
    "",
    t("id", "officers.detail.status", { status: t("id", `officers.status.${input.status}`) }),
  ];
  if (input.outcome) {
    extra.push(t("id", "officers.detail.outcome", { outcome: t("id", `officers.outcome.${input.outcome}`) }));
  }
  extra.push(
    input.assignee
      ? t("id", "officers.detail.assignee", { name: oneLine(input.assignee, 100) })
      : t("id", "officers.detail.unassigned"),
  );
  const notes = input.notes ?? [];
  if (notes.length > 0) extra.push("", t("id", "officers.detail.notes"));
  pushLatest(extra, notes, (n) =>
    t("id", "officers.detail.note", {
      time: localDateTime(n.at, zone),
      author: oneLine(n.author, 60),
      text: oneLine(n.text, 200),
    }),
  );
  const questions = input.questions ?? [];
  if (questions.length > 0) extra.push("", t("id", "officers.detail.questions"));
  pushLatest(extra, questions, (q) => {
    const vars = { time: localDateTime(q.at, zone), question: oneLine(q.text, 150) };
    return q.answer === undefined
      ? t("id", "officers.detail.question_open", vars)
      : t("id", "officers.detail.question_answered", { ...vars, answer: oneLine(q.answer, 150) });
  });
  const text = summaryText(input, extra);
  return input.status === "closed"
    ? { type: "text", text }
    : { type: "text", text, choices: caseChoices(input.code) };
}

/** The outcome buttons shown after an officer presses "Tutup kasus". */
export function closeChoices(code: string): Choice[] {
  return OUTCOMES.map((outcome) => ({
    id: officerButtonId("close", code, outcome),
    label: t("id", `officers.outcome_button.${outcome}`),
  }));
}

/** Prompt that goes with {@link closeChoices}. */
export function closePrompt(code: string): OutboundMessage {
  return { type: "text", text: t("id", "officers.close_prompt", { code }), choices: closeChoices(code) };
}

const DEFAULT_ZONE = "Asia/Makassar";
const NARRATIVE_MAX = 1500;
const SHOWN_ENTRIES = 3;

function caseChoices(code: string): Choice[] {
  return (["ack", "claim", "ask", "close"] as const).map((action) => ({
    id: officerButtonId(action, code),
    label: t("id", `officers.button.${action}`),
  }));
}

function summaryText(input: PoliceSummaryInput, extra: readonly string[]): string {
  const { report: r, code } = input;
  const s = (key: string, vars: Record<string, string | number> = {}) =>
    t("id", `officers.summary.${key}`, vars);
  const answer = (v: string) => t("id", `officers.answer.${v}`);
  const lines = [s("title", { urgency: t("id", `officers.urgency.${input.urgency}`), code })];
  const tier = input.tier ?? 0;
  const round = input.round ?? 0;
  if (tier > 0 || round > 0) lines.push(s("escalation", { tier: tier + 1, round: round + 1 }));
  if (input.reasons.length > 0) {
    lines.push(s("reasons", { reasons: oneLine(input.reasons.map(reasonText).join("; "), 400) }));
  }
  // Which typed words raised which reason, so the officer can judge them.
  const typed = triage(r).typed.filter((w) => input.reasons.includes(w.reason));
  if (typed.length > 0) {
    const items = typed.map((w) => `${reasonText(w.reason)} ("${oneLine(w.words, 80)}")`).join("; ");
    lines.push(s("typed", { items: oneLine(items, 400) }));
  }
  lines.push(s("situation", { situation: t("id", `officers.situation.${r.situation}`) }));
  const where = [r.city, r.country].filter((x): x is string => !!x?.trim()).map((x) => oneLine(x, 100));
  lines.push(s("where", { where: where.length > 0 ? where.join(", ") : s("unknown") }));
  if (r.location && Number.isFinite(r.location.latitude) && Number.isFinite(r.location.longitude)) {
    const latitude = r.location.latitude.toFixed(5);
    const longitude = r.location.longitude.toFixed(5);
    const url = `https://maps.google.com/?q=${latitude},${longitude}`;
    lines.push(s("coordinates", { latitude, longitude, url }));
  }
  if (r.when?.trim()) lines.push(s("when", { when: oneLine(r.when, 200) }));
  if (r.departureWithin72h) lines.push(s("departure_soon"));
  lines.push(s("people", { count: r.peopleCount ?? s("unknown") }));
  lines.push(s("minors", { value: answer(r.minorsInvolved) }));
  lines.push(s("danger_now", { value: answer(r.dangerNow) }));
  if (r.confined) lines.push(s("confined"));
  if (r.passportWithheld) lines.push(s("passport_withheld"));
  if (r.forcedWorkOrDebt) lines.push(s("forced_work_or_debt"));
  // Answered "not sure": said as such, so an officer can ask.
  for (const field of r.unsure ?? []) lines.push(s(`unsure.${field}`));
  if (r.recruiter?.trim()) lines.push(s("recruiter", { recruiter: oneLine(r.recruiter, 400) }));
  const m = r.migration;
  if (m?.destination?.trim()) lines.push(s("destination", { destination: oneLine(m.destination, 100) }));
  if (m?.agency?.trim()) lines.push(s("agency", { agency: oneLine(m.agency, 200) }));
  const flags = Object.entries(m?.flags ?? {})
    .filter(([, v]) => v === "yes")
    .map(([k]) => humanize(k));
  if (flags.length > 0) lines.push(s("red_flags", { flags: oneLine(flags.join(", "), 300) }));
  lines.push(s("evidence", { count: input.evidenceCount, code }));
  lines.push(s("contact", { value: answer(r.consentContact ? "yes" : "no") }));
  lines.push(s("received", { time: localDateTime(input.receivedAt, input.timeZone ?? DEFAULT_ZONE) }));
  const head = lines.join("\n");
  const tail = [...extra, "", s("anonymity")].join("\n");
  const narrative = block(r.narrative, Number.MAX_SAFE_INTEGER);
  if (!narrative) return clip(`${head}\n${tail}`, MAX_MESSAGE);
  const cutNote = s("narrative_cut", { code });
  const room = MAX_MESSAGE - head.length - tail.length - s("narrative").length - cutNote.length - 8;
  const shown = block(narrative, Math.max(0, Math.min(NARRATIVE_MAX, room)));
  const cut = shown.length < narrative.length ? `\n${cutNote}` : "";
  return clip(`${head}\n\n${s("narrative")}\n${shown}${cut}\n${tail}`, MAX_MESSAGE);
}

/** Human words for a triage reason code. */
export function reasonText(reason: string): string {
  const key = `officers.reason.${reason}`;
  return hasKey("id", key) ? t("id", key) : humanize(reason);
}

function humanize(id: string): string {
  return oneLine(id.replace(/[_-]+/g, " "), 60);
}

function pushLatest<T>(out: string[], items: readonly T[], render: (item: T) => string): void {
  const hidden = Math.max(0, items.length - SHOWN_ENTRIES);
  if (hidden > 0) out.push(t("id", "officers.detail.more", { count: hidden }));
  for (const item of items.slice(hidden)) out.push(render(item));
}
