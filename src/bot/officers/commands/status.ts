import { t } from "../../../flows/content/catalog.ts";
import { setCaseStatus } from "../../../storage/cases.ts";
import { statusChangedText } from "../case-texts.ts";
import type { CaseStatus, Outcome } from "../officer-commands.ts";
import { officerReplies as say } from "../officer-replies.ts";
import { auditOfficerAction, type FoundCase, type OfficerRun } from "../officer-run.ts";
import { type CommandDeps, type CommandOf, onCase } from "./command.ts";

/** `/status KODE status [hasil]`: sets the case status and tells a reachable reporter. */
export const status = onCase<CommandOf<"status">>((run, command, report, deps) =>
  changeStatus(run, report, deps, command.status, command.outcome),
);

/**
 * Sets a case's status (an outcome only for `closed`), acknowledges any escalation, audits the
 * change and pushes it to the reporter when they can be reached.
 */
export async function changeStatus(
  run: OfficerRun,
  report: FoundCase,
  deps: CommandDeps,
  status: CaseStatus,
  outcome?: Outcome,
): Promise<void> {
  await setCaseStatus(run.tx, report.id, {
    status,
    outcome: status === "closed" ? (outcome ?? null) : null,
    closedAt: status === "closed" ? run.now : null,
  });
  await deps.escalation.acknowledge(run.tx, report.id, run.officerId, "status");
  await auditOfficerAction(run, "case.status", report.id, {
    from: report.status,
    to: status,
    outcome: outcome ?? null,
  });
  const pushed = await deps.pushes.queue(run, report, `status:${run.inbound.externalId}`, (lang) =>
    statusChangedText(lang, status, outcome),
  );
  run.reply(say.statusChanged(report.code, t("id", `officers.status.${status}`), pushed));
}
