import { clip } from "./limits.ts";
import { readPlaces } from "./migration-places.ts";
import { readAgency, readJob } from "./migration-text.ts";
import type { MigrationAnswers, YesNoUnsure } from "./report.ts";

/**
 * One question of the safe-migration check; `key` is the catalog key of its text. A yes/no question
 * with `notYet` also offers "not yet" (a contract still to come is not a missing contract).
 */
export type CheckQuestion = { id: string; kind: "yesno" | "text"; key: string; notYet?: boolean };

/**
 * Answers by question id: `"yes" | "no" | "not_yet" | "unsure"` for yes/no questions, free text for
 * text questions.
 */
export type CheckAnswers = Record<string, string>;

/** A finding or a to-do item; `key` is the catalog key of its text. */
export type CheckItem = { id: string; key: string };

/**
 * Risk level, the findings behind it (most serious first; firm ones end in `.risky` or `.check`,
 * "not sure" ones in `.unsure`), and what to get or check before leaving (`todo`), which never raises
 * the level.
 */
export type CheckResult = {
  level: "low" | "medium" | "high";
  findings: CheckItem[];
  todo: CheckItem[];
};

type RedFlag = {
  id: string;
  /** The answer that raises the flag; "unsure" always gives a softer finding. */
  risky: "yes" | "no";
  /** A risky answer alone makes the result high. */
  critical?: boolean;
  /** "Not yet" is a to-do item, not a finding (unless departure is within 72 hours). */
  notYet?: boolean;
  /** DOMAIN's red flag this question is part of; one red flag is counted once. */
  group?: string;
};

/** The yes/no questions, one thing each, in the order they are asked (DOMAIN "Red flags"). */
const redFlags: readonly RedFlag[] = [
  { id: "agency_checked", risky: "no", notYet: true },
  { id: "agency_met", risky: "no", notYet: true, group: "agency_checked" },
  { id: "social_media_offer", risky: "yes" },
  { id: "salary_too_good", risky: "yes", group: "social_media_offer" },
  { id: "job_differs", risky: "yes", notYet: true },
  { id: "tourist_visa", risky: "yes", critical: true },
  { id: "fee_above_official", risky: "yes", group: "fees_debt" },
  { id: "fee_no_receipt", risky: "yes", group: "fees_debt" },
  { id: "fees_debt", risky: "yes", critical: true },
  { id: "written_contract", risky: "no", notYet: true },
  { id: "passport_kept", risky: "yes", critical: true },
  { id: "falsified_docs", risky: "yes", critical: true },
  { id: "transit_route", risky: "yes" },
  { id: "return_ticket", risky: "no", notYet: true },
  { id: "registration", risky: "no", notYet: true, group: "preparation" },
  { id: "opp", risky: "no", notYet: true, group: "preparation" },
  { id: "bpjs", risky: "no", notYet: true, group: "preparation" },
  { id: "departure_soon", risky: "yes" },
];

/** Findings from typed text that belong to one of DOMAIN's red flags. */
const textGroups: Record<string, string> = {
  agency_individual: "agency_checked",
  destination_thailand: "destination_non_placement",
};

/**
 * The questions in the order a flow asks them: destination, recruiter and job as free text, then the
 * yes/no/not-sure questions. Some are phrased so that "no" is the risky answer ("Do you have a
 * written contract?"); {@link assessCheck} knows which.
 */
export const checkQuestions: readonly CheckQuestion[] = [
  { id: "destination", kind: "text", key: "migration.questions.destination" },
  { id: "agency", kind: "text", key: "migration.questions.agency" },
  { id: "job", kind: "text", key: "migration.questions.job" },
  ...redFlags.map(
    (f): CheckQuestion => ({
      id: f.id,
      kind: "yesno",
      key: `migration.questions.${f.id}`,
      ...(f.notYet ? { notYet: true } : {}),
    }),
  ),
];

/** The checklist of steps still to take, most important first: the ones the result message shows come from the top. */
const CHECKLIST_ORDER = [
  "agency_company",
  "agency_checked",
  "written_contract",
  "middle_east_job",
  "free_job",
  "opp",
  "registration",
  "bpjs",
  "return_ticket",
  "agency_met",
  "job_differs",
];

/** Finding ids whose risky form makes the result high on its own. */
const criticalIds = new Set([
  ...redFlags.filter((f) => f.critical).map((f) => f.id),
  "destination_non_placement",
]);

/**
 * The red flag of DOMAIN's list a finding id counts as (`salary_too_good` and `social_media_offer` are
 * one red flag, so are the three fee questions): triage and the level count each red flag once.
 */
export function redFlagGroup(id: string): string {
  return redFlags.find((f) => f.id === id)?.group ?? textGroups[id] ?? id;
}

/**
 * Scores the answers. High: any critical finding (work on a tourist visa, passport kept, a debt cut
 * from wages, falsified documents, a non-placement destination) or three or more red flags. Medium:
 * one or two red flags, or two or more "not sure" answers. Low otherwise. "Not yet" gives a to-do item
 * (a finding only when departure is within 72 hours), and so does advice such as checking a PT in
 * SISKOP2MI. Missing or unrecognised answers give nothing.
 */
export function assessCheck(answers: CheckAnswers): CheckResult {
  const firm: CheckItem[] = [];
  const soft: CheckItem[] = [];
  const todo: CheckItem[] = [];
  const soon = answers.departure_soon === "yes";
  const risky = (id: string, form = "risky") => firm.push({ id, key: `migration.findings.${id}.${form}` });
  const unsure = (id: string) => soft.push({ id, key: `migration.findings.${id}.unsure` });
  const toDo = (id: string) => todo.push({ id, key: `migration.todo.${id}` });

  const place = readPlaces(answers.destination ?? "");
  const job = readJob(answers.job ?? "");
  if (place.unknown) unsure("destination");
  if (place.kinds.has("non_placement")) risky("destination_non_placement");
  if (place.kinds.has("thailand")) risky("destination_thailand");
  if (place.kinds.has("middle_east")) {
    if (job?.domestic) risky("destination_middle_east", "check");
    else if (!job || job.unknown) toDo("middle_east_job");
  }
  if (job?.unknown) unsure("job");
  if (job?.freeJob && answers.fee_above_official !== "yes") toDo("free_job");

  const agency = readAgency(answers.agency ?? "");
  if (agency === "unknown") unsure("agency");
  if (agency === "individual") risky("agency_individual");
  if (agency === "company" && answers.agency_checked !== "yes") toDo("agency_company");

  for (const flag of redFlags) {
    const answer = answers[flag.id];
    if (answer === flag.risky) risky(flag.id);
    else if (answer === "unsure") unsure(flag.id);
    else if (answer === "not_yet" && flag.notYet) {
      if (soon && flag.risky === "no") risky(flag.id);
      else toDo(flag.id);
    }
  }

  // A PT to check in SISKOP2MI already says how to check the agency.
  const todoIds = new Set(todo.map((i) => i.id));
  const todoList = todo
    .filter((i) => !(i.id === "agency_checked" && todoIds.has("agency_company")))
    .sort((a, b) => CHECKLIST_ORDER.indexOf(a.id) - CHECKLIST_ORDER.indexOf(b.id));

  const critical = firm.filter((f) => criticalIds.has(f.id));
  const other = firm.filter((f) => !criticalIds.has(f.id));
  const groups = new Set(firm.map((f) => redFlagGroup(f.id))).size;
  const level =
    critical.length > 0 || groups >= 3 ? "high" : firm.length > 0 || soft.length >= 2 ? "medium" : "low";
  return { level, findings: [...critical, ...other, ...soft], todo: todoList };
}

/**
 * The answers in the shape a report carries (`report.migration`), cut to the report schema's limits.
 * "Not yet" is no red flag and is left out, except when departure is within 72 hours, when it counts
 * as "no" (leaving without a contract).
 */
export function toMigrationAnswers(answers: CheckAnswers): MigrationAnswers {
  const flags: Record<string, YesNoUnsure> = {};
  const soon = answers.departure_soon === "yes";
  for (const flag of redFlags) {
    const answer = answers[flag.id];
    if (answer === "yes" || answer === "no" || answer === "unsure") flags[flag.id] = answer;
    else if (answer === "not_yet" && flag.notYet && soon && flag.risky === "no") flags[flag.id] = "no";
  }
  const out: MigrationAnswers = { flags };
  const destination = cleanText(answers.destination, 200);
  if (destination) out.destination = destination;
  const agency = cleanText(answers.agency, 500);
  if (agency) out.agency = agency;
  if (answers.departure_soon === "yes") out.departureSoon = true;
  else if (answers.departure_soon === "no") out.departureSoon = false;
  return out;
}

/** Collapses whitespace and cuts user text to `max` characters (with an ellipsis); "" when empty. */
export function cleanText(value: string | undefined, max: number): string {
  return clip((value ?? "").replace(/\s+/g, " ").trim(), max);
}
