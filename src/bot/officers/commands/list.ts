import { listOpenCases } from "../../../storage/cases.ts";
import { accessOf } from "../case-scope.ts";
import { type CaseListItem, caseListText } from "../case-texts.ts";
import type { Urgency } from "../escalation-plan.ts";
import { auditOfficerAction } from "../officer-run.ts";
import type { CommandHandler, CommandOf } from "./command.ts";

/** `/kasus`: the open cases the officer may see (`case-scope.ts`), newest first (at most 200). */
export const list: CommandHandler<CommandOf<"list">> = async (run, _command, deps) => {
  const rows = await listOpenCases(run.tx, 200, accessOf(deps.directory.contacts, run.viewers));
  const items: CaseListItem[] = rows.map((r) => ({
    code: r.code,
    urgency: r.urgency as Urgency,
    situation: r.situation as CaseListItem["situation"],
    status: r.status,
    receivedAt: r.createdAt,
    ...(r.assignedOfficerId ? { assignee: deps.directory.name(r.assignedOfficerId) } : {}),
  }));
  await auditOfficerAction(run, "case.listed", null, { count: items.length });
  run.reply(caseListText(items, deps.directory.contacts.timezone));
};
