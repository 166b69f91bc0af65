import { t } from "./content/catalog.ts";
import { clip, MAX_BODY_WITH_CHOICES as MAX_BODY } from "./limits.ts";
import type { Lang } from "./message.ts";
import type { MigrationAnswers, YesNoUnsure } from "./report.ts";

/** One question of the safe-migration check; `key` is the catalog key of its text. */
export type CheckQuestion = { id: string; kind: "yesno" | "text"; key: string };

/** Answers by question id: `"yes" | "no" | "unsure"` for yes/no questions, free text for text questions. */
export type CheckAnswers = Record<string, "yes" | "no" | "unsure" | string>;

/** Risk level plus the findings behind it, most serious first; `key` is the catalog key of the explanation. */
export type CheckResult = {
  level: "low" | "medium" | "high";
  findings: { id: string; key: string }[];
};

type RedFlag = {
  id: string;
  /** The answer that raises the flag; "unsure" always gives a softer finding. */
  risky: "yes" | "no";
  /** A risky answer alone makes the result high. */
  critical?: boolean;
};

/** The yes/no red flags from DOMAIN "Red flags", in the order they are asked, then `departure_soon`. */
const redFlags: readonly RedFlag[] = [
  { id: "social_media_offer", risky: "yes" },
  { id: "tourist_visa", risky: "yes", critical: true },
  { id: "fees_debt", risky: "yes", critical: true },
  { id: "written_contract", risky: "no" },
  { id: "agency_checked", risky: "no" },
  { id: "passport_kept", risky: "yes", critical: true },
  { id: "falsified_docs", risky: "yes", critical: true },
  { id: "transit_route", risky: "yes" },
  { id: "return_ticket", risky: "no" },
  { id: "preparation", risky: "no" },
  { id: "departure_soon", risky: "yes" },
];

/**
 * The questions in the order a flow asks them: destination and agency as free text, then the
 * yes/no/not-sure red flags. Some are phrased so that "no" is the risky answer ("Do you have a
 * written contract?"); {@link assessCheck} knows which.
 */
export const checkQuestions: readonly CheckQuestion[] = [
  { id: "destination", kind: "text", key: "migration.questions.destination" },
  { id: "agency", kind: "text", key: "migration.questions.agency" },
  ...redFlags.map((f): CheckQuestion => ({ id: f.id, kind: "yesno", key: `migration.questions.${f.id}` })),
];

/** Finding ids whose risky form makes the result high on its own. */
const criticalIds = new Set([
  ...redFlags.filter((f) => f.critical).map((f) => f.id),
  "destination_non_placement",
]);

/**
 * Scores the answers. High: any critical finding (work on a tourist visa, passport kept, large
 * fees or debt, falsified age or documents, a non-placement destination) or three or more firm
 * findings. Medium: one or two firm findings, or two or more "not sure" ones. Low otherwise.
 * Missing or unrecognised answers give no finding.
 */
export function assessCheck(answers: CheckAnswers): CheckResult {
  const firm: CheckResult["findings"] = [];
  const soft: CheckResult["findings"] = [];
  for (const flag of redFlags) {
    const answer = answers[flag.id];
    if (answer === flag.risky) firm.push({ id: flag.id, key: `migration.findings.${flag.id}.risky` });
    else if (answer === "unsure") soft.push({ id: flag.id, key: `migration.findings.${flag.id}.unsure` });
  }
  const place = destinationRisks(answers.destination ?? "");
  if (place.unknown) soft.push({ id: "destination", key: "migration.findings.destination.unsure" });
  if (place.nonPlacement)
    firm.push({ id: "destination_non_placement", key: "migration.findings.destination_non_placement.risky" });
  if (place.thailand)
    firm.push({ id: "destination_thailand", key: "migration.findings.destination_thailand.risky" });
  if (place.middleEast)
    firm.push({ id: "destination_middle_east", key: "migration.findings.destination_middle_east.check" });

  const critical = firm.filter((f) => criticalIds.has(f.id));
  const other = firm.filter((f) => !criticalIds.has(f.id));
  const level =
    critical.length > 0 || firm.length >= 3 ? "high" : firm.length > 0 || soft.length >= 2 ? "medium" : "low";
  return { level, findings: [...critical, ...other, ...soft] };
}

/** The answers in the shape a report carries (`report.migration`), cut to the report schema's limits. */
export function toMigrationAnswers(answers: CheckAnswers): MigrationAnswers {
  const flags: Record<string, YesNoUnsure> = {};
  for (const flag of redFlags) {
    const answer = answers[flag.id];
    if (answer === "yes" || answer === "no" || answer === "unsure") flags[flag.id] = answer;
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

/**
 * The result as one or more messages, each at most 1024 characters: the level with
 * destination and agency, each finding with what to do, next steps (always SISKOP2MI), helplines.
 */
export function renderCheckResult(lang: Lang, result: CheckResult, answers: CheckAnswers): string[] {
  const head = [t(lang, `migration.result.header.${result.level}`), ...echoLines(lang, answers)].join("\n");
  const paragraphs = [head];
  if (result.findings.length > 0) {
    const [first, ...rest] = result.findings.map((f) => `• ${findingText(lang, f.key)}`);
    paragraphs.push(`${t(lang, "migration.result.findings_intro")}\n${first}`, ...rest);
  }
  paragraphs.push(t(lang, "migration.result.next_steps"), t(lang, "migration.result.helplines"));
  return pack(paragraphs, MAX_BODY);
}

/** A short text the user can forward to family: level, warning signs, how to check, helplines. */
export function renderFamilySummary(lang: Lang, result: CheckResult, answers: CheckAnswers): string {
  const head = [
    t(lang, "migration.family.intro"),
    ...echoLines(lang, answers),
    t(lang, `migration.family.level.${result.level}`),
  ].join("\n");
  const closing = t(lang, "migration.family.closing");
  if (result.findings.length === 0) return cut(`${head}\n${t(lang, "migration.family.none")}\n\n${closing}`);

  const suffix = ` ${t(lang, "migration.family.unsure_suffix")}`;
  const items = result.findings.map(
    (f) => `- ${t(lang, `migration.labels.${f.id}`)}${f.key.endsWith(".unsure") ? suffix : ""}`,
  );
  const build = (shown: number): string => {
    const lines = [t(lang, "migration.family.flags_intro"), ...items.slice(0, shown)];
    if (shown < items.length) lines.push(t(lang, "migration.family.more", { count: items.length - shown }));
    return `${head}\n\n${lines.join("\n")}\n\n${closing}`;
  };
  for (let shown = items.length; shown > 0; shown--) {
    const text = build(shown);
    if (text.length <= MAX_BODY) return text;
  }
  return cut(build(0));
}

type DestinationRisks = { nonPlacement: boolean; thailand: boolean; middleEast: boolean; unknown: boolean };

const nonPlacementPattern =
  /\b(kamboja|kambodja|kambodia|kamboya|cambodia|cambodja|cambodge|phnom ?penh|sihanouk\w*|myanmar|myanma|burma|birma|myawadd?y|laos|lao pdr|vientiane)\b/;
const thailandPattern = /\b(thailand|thailan|tailand|thai|muang ?thai|bangkok|mae ?sot)\b/;
const middleEastPattern =
  /\b(arab\w*|saudi|ksa|uae|emirat\w*|dubai|abu ?dhabi|qatar|katar|kuwait|oman|bahrain|bahrein|yordania|jordan|yaman|yemen|irak|iraq|suriah|syria|lebanon|libanon|mesir|egypt|timur tengah|middle east|doha|riyadh|riyad|jeddah|jedah|mekah|makkah|mekkah|madinah)\b/;
const unknownPattern =
  /\b(belum|tidak|tdk|gak|ga|gk|nggak|ngga|enggak)\s*(tahu|tau|jelas)\b|\b(don'?t|do not) know\b|\bnot sure\b|\bunknown\b|^[?\-.\s]+$/;

/** What the typed destination reveals; case-insensitive, accents and extra spaces ignored. */
function destinationRisks(raw: string): DestinationRisks {
  const text = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return { nonPlacement: false, thailand: false, middleEast: false, unknown: false };
  return {
    nonPlacement: nonPlacementPattern.test(text),
    thailand: thailandPattern.test(text),
    middleEast: middleEastPattern.test(text),
    unknown: unknownPattern.test(text),
  };
}

function echoLines(lang: Lang, answers: CheckAnswers): string[] {
  const lines: string[] = [];
  const destination = cleanText(answers.destination, 60);
  if (destination) lines.push(t(lang, "migration.result.destination", { destination }));
  const agency = cleanText(answers.agency, 60);
  if (agency) lines.push(t(lang, "migration.result.agency", { agency }));
  return lines;
}

function findingText(lang: Lang, key: string): string {
  const text = t(lang, key);
  return key.endsWith(".unsure") ? `${t(lang, "migration.result.unsure_prefix")} ${text}` : text;
}

/** Collapses whitespace and cuts user text to `max` characters (with an ellipsis); "" when empty. */
function cleanText(value: string | undefined, max: number): string {
  return clip((value ?? "").replace(/\s+/g, " ").trim(), max);
}

function cut(text: string): string {
  return text.length <= MAX_BODY ? text : `${text.slice(0, MAX_BODY - 1)}…`;
}

/** Joins paragraphs with blank lines into as few messages of at most `max` characters as it can. */
function pack(paragraphs: string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const paragraph of paragraphs.map(cut)) {
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if (joined.length <= max) current = joined;
    else {
      out.push(current);
      current = paragraph;
    }
  }
  if (current) out.push(current);
  return out;
}
