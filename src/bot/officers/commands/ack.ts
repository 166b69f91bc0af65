import { officerReplies as say } from "../officer-replies.ts";
import { auditOfficerAction } from "../officer-run.ts";
import { type CommandOf, onCase } from "./command.ts";

/** `/ack KODE` or its button: acknowledges the alert, which stops the escalation. */
export const ack = onCase<CommandOf<"ack">>(async (run, _command, report, deps) => {
  const result = await deps.escalation.acknowledge(run.tx, report.id, run.officerId, "ack");
  if (result.already && result.already !== run.officerId) {
    return run.reply(say.alreadyAcked(report.code, deps.directory.name(result.already)));
  }
  if (!result.stopped) await auditOfficerAction(run, "case.acknowledged", report.id);
  run.reply(say.acked(report.code));
});
