import { randomUUID } from "node:crypto";
import { addCaseMessage } from "../../../storage/case-messages.ts";
import { sealedAt } from "../../../storage/crypto.ts";
import { officerReplies as say } from "../officer-replies.ts";
import { auditOfficerAction } from "../officer-run.ts";
import { type CommandOf, onCase } from "./command.ts";

/** `/catat KODE teks`: a sealed note on the case, for officers only. */
export const note = onCase<CommandOf<"note">>(async (run, command, report, deps) => {
  const id = randomUUID();
  await addCaseMessage(run.tx, {
    id,
    reportId: report.id,
    kind: "note",
    officerId: run.officerId,
    bodySealed: new Uint8Array(deps.sealer.seal(command.note, sealedAt.caseMessageBody(id))),
  });
  await deps.escalation.acknowledge(run.tx, report.id, run.officerId, "note");
  await auditOfficerAction(run, "case.note", report.id);
  run.reply(say.noted(report.code));
});
