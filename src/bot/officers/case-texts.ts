import { t } from "../../flows/content/catalog.ts";
import type { Lang } from "../../flows/message.ts";
import type { Situation } from "../../flows/report.ts";
import type { Urgency } from "./escalation-plan.ts";
import { type CaseStatus, MAX_QUESTION, type Outcome } from "./officer-commands.ts";
import { block, clip, localDateTime, MAX_MESSAGE, oneLine } from "./text-format.ts";

/** One case in a list or digest. No reporter data, by construction. */
export type CaseListItem = {
  code: string;
  urgency: Urgency;
  situation: Situation;
  status: CaseStatus;
  receivedAt: Date;
  /** Name of the officer who claimed it. */
  assignee?: string;
};

/**
 * The `/kasus` list in Indonesian: most urgent first, then oldest first, cut with "…dan N kasus
 * lain" to stay within one message.
 */
export function caseListText(cases: readonly CaseListItem[], timeZone = "Asia/Makassar"): string {
  if (cases.length === 0) return t("id", "officers.list.empty");
  const sorted = [...cases].sort(
    (a, b) => RANK[a.urgency] - RANK[b.urgency] || a.receivedAt.getTime() - b.receivedAt.getTime(),
  );
  return fitLines(
    t("id", "officers.list.title", { count: cases.length }),
    sorted.map((c) => itemLine(c, timeZone)),
    "",
  );
}

/**
 * The daily digest of normal cases for one agency, in Indonesian. `cases` are the agency's new
 * normal cases since the last digest.
 */
export function digestText(
  agencyName: string,
  cases: readonly CaseListItem[],
  timeZone = "Asia/Makassar",
): string {
  const agency = oneLine(agencyName, 200);
  if (cases.length === 0) return t("id", "officers.digest.empty", { agency });
  const sorted = [...cases].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  return fitLines(
    t("id", "officers.digest.title", { agency, count: cases.length }),
    sorted.map((c) => itemLine(c, timeZone)),
    t("id", "officers.digest.footer"),
  );
}

/** What the reporter reads when an officer changes the case's status (pushed or at check-in). */
export function statusChangedText(lang: Lang, status: CaseStatus, outcome?: Outcome): string {
  const words = t(lang, `officers.status.${status}`);
  return outcome
    ? t(lang, "officers.reporter.status_changed_outcome", {
        status: words,
        outcome: t(lang, `officers.outcome.${outcome}`),
      })
    : t(lang, "officers.reporter.status_changed", { status: words });
}

/** An officer's question as relayed to the reporter; says nothing about which officer asked. */
export function officerQuestionText(lang: Lang, code: string, question: string): string {
  return t(lang, "officers.reporter.question", { code, question: block(question, MAX_QUESTION) });
}

const RANK: Record<Urgency, number> = { critical: 0, high: 1, normal: 2 };

function itemLine(c: CaseListItem, timeZone: string): string {
  return t("id", "officers.list.item", {
    code: c.code,
    urgency: t("id", `officers.urgency.${c.urgency}`),
    situation: t("id", `officers.situation.${c.situation}`),
    status: t("id", `officers.status.${c.status}`),
    assignee: c.assignee
      ? t("id", "officers.list.assigned", { name: oneLine(c.assignee, 60) })
      : t("id", "officers.list.unassigned"),
    time: localDateTime(c.receivedAt, timeZone),
  });
}

/** Title, as many lines as fit, a "…and N more" line when some do not, and the footer. */
function fitLines(title: string, lines: readonly string[], footer: string): string {
  const end = footer ? `\n\n${footer}` : "";
  const reserve = t("id", "officers.list.more", { count: lines.length }).length + 2;
  let text = title;
  let shown = 0;
  for (const line of lines) {
    const remaining = lines.length - shown - 1;
    const budget = MAX_MESSAGE - end.length - (remaining > 0 ? reserve : 0);
    if (text.length + 1 + line.length > budget) break;
    text += `\n${line}`;
    shown++;
  }
  if (shown < lines.length) text += `\n${t("id", "officers.list.more", { count: lines.length - shown })}`;
  return clip(text + end, MAX_MESSAGE);
}
