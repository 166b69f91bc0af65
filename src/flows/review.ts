import { t } from "./content/catalog.ts";
import { clip } from "./limits.ts";
import type { ReportDraft } from "./main-context.ts";
import type { Lang } from "./message.ts";
import type { YesNoUnsure } from "./report.ts";
import type { TriageResult } from "./triage.ts";

/** The summary a reporter reviews before sending; user text is clipped so it always fits one message. */
export function reviewSummary(lang: Lang, draft: ReportDraft | null): string {
  const d: ReportDraft = draft ?? { narrative: "", evidenceRefs: [] };
  const empty = t(lang, "report.review.empty");
  const yn = (v: YesNoUnsure | boolean | undefined) =>
    v === undefined ? empty : t(lang, `common.${v === true ? "yes" : v === false ? "no" : v}`);
  const place = [d.city, d.country].filter(Boolean).join(", ");
  const rows: [string, string][] = [
    ["situation", d.situation ? t(lang, `report.situation.options.${d.situation}`) : empty],
    ["where", place ? clip(place, 200) : empty],
    ["location", yn(d.location !== undefined)],
    ["when", d.when ? clip(d.when, 200) : empty],
    ["people", d.peopleCount !== undefined ? String(d.peopleCount) : empty],
    ["minors", yn(d.minorsInvolved)],
    ["danger", yn(d.dangerNow)],
    ["confined", d.unsure?.includes("confined") ? yn("unsure") : yn(d.confined)],
    ["passport", d.unsure?.includes("passportWithheld") ? yn("unsure") : yn(d.passportWithheld)],
    ["forced", d.unsure?.includes("forcedWorkOrDebt") ? yn("unsure") : yn(d.forcedWorkOrDebt)],
    ["departure", yn(d.departureWithin72h)],
    ["recruiter", d.recruiter ? clip(d.recruiter, 300) : empty],
    ["evidence", t(lang, "report.review.files", { count: d.evidenceRefs.length })],
    ["consent", yn(d.consentContact)],
    ["narrative", d.narrative ? clip(d.narrative, 1500) : empty],
  ];
  const lines = rows.map(([key, value]) => `• ${t(lang, `report.review.${key}`)}: ${value}`);
  return [t(lang, "report.review.title"), ...lines].join("\n");
}

/**
 * The triage result in plain words, for the reporter. It says the report was passed to the officers on
 * duty only when they were alerted (`passedOn`); otherwise that it waits to be read.
 */
export function triageText(lang: Lang, result: TriageResult, passedOn = false): string {
  const urgent = result.urgency !== "normal";
  const head = t(
    lang,
    urgent && !passedOn ? `triage.stored.${result.urgency}` : `triage.level.${result.urgency}`,
  );
  if (result.reasons.length === 0) return head;
  const reasons = result.reasons.map((r) => `• ${t(lang, `triage.reasons.${r}`)}`).join("\n");
  return `${head}\n\n${t(lang, "triage.reasons_title")}\n${reasons}`;
}
