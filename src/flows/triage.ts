import { assessCheck, type CheckAnswers, redFlagGroup } from "./migration-check.ts";
import type { Report } from "./report.ts";
import { typedRedFlags, understand } from "./understand/understand.ts";

/**
 * Triage: a pure rule set from a report to an urgency and the reasons for it, following DOMAIN's
 * "Signals for triage" and DESIGN's escalation model. critical and high cases notify the duty
 * officers at once; the reasons are shown to officers and, in plain words, to the reporter.
 */
export function triage(report: Report): TriageResult {
  const reasons: TriageReason[] = [];
  const typed = typedEvidence(report);
  const said = (reason: TriageReason) => typed.some((w) => w.reason === reason);
  const childInvolved =
    report.minorsInvolved === "yes" || report.situation === "child_involved" || said("minor_involved");
  const dangerNow = report.dangerNow === "yes" || said("danger_now");

  if (dangerNow) reasons.push("danger_now");
  if (report.confined) reasons.push("confined");
  // A child offered for sex is at risk now, whatever the other answers say.
  const childAtRisk = dangerNow || report.confined || report.situation === "sexual_exploitation";
  if (childInvolved && childAtRisk) reasons.push("child_at_risk_now");

  const leavingSoon =
    report.departureWithin72h || report.migration?.departureSoon === true || said("departure_72h_red_flags");
  if (leavingSoon && redFlags(report).size >= 2) reasons.push("departure_72h_red_flags");
  if (report.passportWithheld || said("passport_withheld")) reasons.push("passport_withheld");
  const forcedKind = report.situation === "scam_compound" || report.situation === "held_or_forced_work";
  if (report.forcedWorkOrDebt || forcedKind || said("forced_work_or_debt"))
    reasons.push("forced_work_or_debt");
  if (childInvolved) reasons.push("minor_involved");
  if (report.checkin) reasons.push("checkin_alert");

  const urgency = reasons.some((r) => CRITICAL.has(r))
    ? "critical"
    : reasons.some((r) => HIGH.has(r))
      ? "high"
      : "normal";
  return { urgency, reasons, typed: typed.filter((w) => reasons.includes(w.reason)) };
}

/** The reporter's own words (story, when, where) that raise a reason, so officers can judge them. */
export function typedEvidence(report: Report): TypedEvidence[] {
  const text = [report.narrative, report.city, report.country].filter(Boolean).join(".\n");
  const out: TypedEvidence[] = [];
  const add = (words: string, skip?: string) => {
    if (!words.trim()) return;
    for (const signal of understand(words).signals) {
      const reason = SIGNAL_REASON[signal.kind];
      if (reason && signal.kind !== skip) out.push({ reason, words: signal.words });
    }
  };
  add(text);
  // "When" says when, not who is in danger: "sedang terjadi" (happening now, often its chosen
  // option) is no danger-now answer; "berangkat besok" still counts as leaving soon.
  add(report.when ?? "", "danger_now");
  return out;
}

const SIGNAL_REASON: Record<string, TriageReason | undefined> = {
  danger_now: "danger_now",
  child: "minor_involved",
  passport_held: "passport_withheld",
  forced_work: "forced_work_or_debt",
  departure_soon: "departure_72h_red_flags",
};

/** Words of the reporter that raised a triage reason. */
export type TypedEvidence = { reason: TriageReason; words: string };

export type Urgency = "critical" | "high" | "normal";
export type TriageReason =
  | "danger_now"
  | "confined"
  | "child_at_risk_now"
  | "departure_72h_red_flags"
  | "passport_withheld"
  | "forced_work_or_debt"
  | "minor_involved"
  | "checkin_alert";
export type TriageResult = { urgency: Urgency; reasons: TriageReason[]; typed: TypedEvidence[] };

/** Every reason code; each has a catalog text `triage.reasons.<code>` in every language. */
export const TRIAGE_REASONS: readonly TriageReason[] = [
  "danger_now",
  "confined",
  "child_at_risk_now",
  "departure_72h_red_flags",
  "passport_withheld",
  "forced_work_or_debt",
  "minor_involved",
  "checkin_alert",
];

const CRITICAL = new Set<TriageReason>(["danger_now", "confined", "child_at_risk_now"]);
const HIGH = new Set<TriageReason>([
  "departure_72h_red_flags",
  "passport_withheld",
  "forced_work_or_debt",
  "minor_involved",
  "checkin_alert",
]);

/** Typed red flags counted as the check's flag of the same meaning, so one flag is never counted twice. */
const TYPED_FLAG: Record<string, string> = {
  non_placement: "destination_non_placement",
  passport_kept: "passport_kept",
  social_media: "social_media_offer",
  too_good_salary: "social_media_offer",
  no_contract: "written_contract",
  unlicensed: "agency_checked",
  falsified: "falsified_docs",
};

/** Cambodia, Myanmar and Laos are not placement countries and are known scam-compound destinations. */
const NON_PLACEMENT = /\b(kamboja|cambodia|myanmar|burma|laos|lao pdr)\b/i;

/**
 * The distinct red flags behind a report: firm findings of the safe-migration check plus the
 * report's own answers, each of DOMAIN's red flags counted once (the check's split questions, such as
 * its three fee questions, count as the one red flag they belong to: {@link redFlagGroup}).
 */
export function redFlags(report: Report): Set<string> {
  const flags = new Set<string>();
  const m = report.migration;
  if (m) {
    const answers: CheckAnswers = { ...m.flags };
    if (m.destination) answers.destination = m.destination;
    if (m.agency) answers.agency = m.agency;
    for (const f of assessCheck(answers).findings) {
      // Only firm findings count: "not sure" answers, an unknown destination and "check with
      // BP3MI" advice are not red flags.
      if (f.key.endsWith(".risky") && f.id !== "departure_soon") flags.add(redFlagGroup(f.id));
    }
    if (m.destination && NON_PLACEMENT.test(m.destination)) flags.add("destination_non_placement");
  }
  if (report.passportWithheld) flags.add("passport_kept");
  if (report.forcedWorkOrDebt) flags.add("fees_debt");
  if (report.confined) flags.add("confined");
  if (report.situation === "scam_compound" || NON_PLACEMENT.test(report.country ?? "")) {
    flags.add("destination_non_placement");
  }
  const text = [report.narrative, report.when, report.country, report.recruiter].filter(Boolean).join(".\n");
  for (const f of typedRedFlags(text)) flags.add(TYPED_FLAG[f.flag] ?? f.flag);
  return flags;
}
