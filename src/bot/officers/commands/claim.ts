import { assignCase } from "../../../storage/cases.ts";
import { officerReplies as say } from "../officer-replies.ts";
import { auditOfficerAction } from "../officer-run.ts";
import { type CommandOf, onCase } from "./command.ts";

/** `/klaim KODE` or its button: assigns the case to the officer unless someone else has it. */
export const claim = onCase<CommandOf<"claim">>(async (run, _command, report, deps) => {
  if (report.assignedOfficerId && report.assignedOfficerId !== run.officerId) {
    return run.reply(say.claimedByOther(report.code, deps.directory.name(report.assignedOfficerId)));
  }
  await assignCase(run.tx, report.id, run.officerId);
  await deps.escalation.acknowledge(run.tx, report.id, run.officerId, "claim");
  await auditOfficerAction(run, "case.claimed", report.id);
  run.reply(say.claimed(report.code));
});
