import { assessCheck, type CheckAnswers } from "./migration-check.ts";
import type { Report } from "./report.ts";

/**
 * Triage: a pure rule set from a report to an urgency and the reasons for it, following DOMAIN's
 * "Signals for triage" and DESIGN's escalation model. critical and high cases notify the duty
 * officers at once; the reasons are shown to officers and, in plain words, to the reporter.
 */
export function triage(report: Report): TriageResult {
  const reasons: TriageReason[] = [];
  const childInvolved = report.minorsInvolved === "yes" || report.situation === "child_involved";
  const dangerNow = report.dangerNow === "yes";

  if (dangerNow) reasons.push("danger_now");
  if (report.confined) reasons.push("confined");
  if (childInvolved && (dangerNow || report.confined)) reasons.push("child_at_risk_now");

  const leavingSoon = report.departureWithin72h || report.migration?.departureSoon === true;
  if (leavingSoon && redFlags(report).size >= 2) reasons.push("departure_72h_red_flags");
  if (report.passportWithheld) reasons.push("passport_withheld");
  if (report.forcedWorkOrDebt) reasons.push("forced_work_or_debt");
  if (childInvolved) reasons.push("minor_involved");

  const urgency = reasons.some((r) => CRITICAL.has(r))
    ? "critical"
    : reasons.some((r) => HIGH.has(r))
      ? "high"
      : "normal";
  return { urgency, reasons };
}

export type Urgency = "critical" | "high" | "normal";
export type TriageReason =
  | "danger_now"
  | "confined"
  | "child_at_risk_now"
  | "departure_72h_red_flags"
  | "passport_withheld"
  | "forced_work_or_debt"
  | "minor_involved";
export type TriageResult = { urgency: Urgency; reasons: TriageReason[] };

/** Every reason code; each has a catalog text `triage.reasons.<code>` in every language. */
export const TRIAGE_REASONS: readonly TriageReason[] = [
  "danger_now",
  "confined",
  "child_at_risk_now",
  "departure_72h_red_flags",
  "passport_withheld",
  "forced_work_or_debt",
  "minor_involved",
];

const CRITICAL = new Set<TriageReason>(["danger_now", "confined", "child_at_risk_now"]);
const HIGH = new Set<TriageReason>([
  "departure_72h_red_flags",
  "passport_withheld",
  "forced_work_or_debt",
  "minor_involved",
]);

/** Cambodia, Myanmar and Laos are not placement countries and are known scam-compound destinations. */
const NON_PLACEMENT = /\b(kamboja|cambodia|myanmar|burma|laos|lao pdr)\b/i;

/**
 * The distinct red flags behind a report: firm findings of the safe-migration check plus the
 * report's own answers, each counted once.
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
      if (f.key.endsWith(".risky") && f.id !== "departure_soon") flags.add(f.id);
    }
    if (m.destination && NON_PLACEMENT.test(m.destination)) flags.add("destination_non_placement");
  }
  if (report.passportWithheld) flags.add("passport_kept");
  if (report.forcedWorkOrDebt) flags.add("fees_debt");
  if (report.confined) flags.add("confined");
  if (report.situation === "scam_compound" || NON_PLACEMENT.test(report.country ?? "")) {
    flags.add("destination_non_placement");
  }
  return flags;
}
