import type { Report } from "../../../flows/report.ts";
import { listCaseMessages } from "../../../storage/case-messages.ts";
import { sealedAt } from "../../../storage/crypto.ts";
import { countCaseEvidence, listCaseEvidenceIds } from "../../../storage/evidence.ts";
import { caseDetailText } from "../case-summary.ts";
import type { Urgency } from "../escalation-plan.ts";
import type { Outcome } from "../officer-commands.ts";
import { officerReplies as say } from "../officer-replies.ts";
import { auditOfficerAction, type OfficerRun } from "../officer-run.ts";
import { type CommandOf, onCase } from "./command.ts";

/** Evidence files sent with one case detail; the rest come from the admin export. */
const MAX_EVIDENCE_FILES = 10;

/** `/kasus KODE`: the whole case (report, notes, questions and answers) and its evidence files. */
export const detail = onCase<CommandOf<"detail">>(async (run, _command, row, deps) => {
  const { tx } = run;
  const reportId = row.id;
  const messages = await listCaseMessages(tx, reportId);
  const open = (m: { id: string; bodySealed: Uint8Array }) =>
    deps.sealer.tryOpen(m.bodySealed, sealedAt.caseMessageBody(m.id))?.toString("utf8") ?? "[?]";
  const answers = new Map(
    messages.filter((m) => m.kind === "answer" && m.replyTo).map((m) => [m.replyTo, m]),
  );
  const evidenceCount = await countCaseEvidence(tx, reportId);
  const message = caseDetailText({
    code: row.code,
    urgency: row.urgency as Urgency,
    reasons: row.reasons,
    report: deps.sealer.openJson<Report>(row.contentSealed, sealedAt.reportContent(row.id)),
    receivedAt: row.createdAt,
    evidenceCount,
    timeZone: deps.directory.contacts.timezone,
    status: row.status,
    ...(row.outcome ? { outcome: row.outcome as Outcome } : {}),
    ...(row.assignedOfficerId ? { assignee: deps.directory.name(row.assignedOfficerId) } : {}),
    notes: messages
      .filter((m) => m.kind === "note" || m.kind === "info")
      .map((m) => ({
        at: m.createdAt,
        author: m.kind === "note" ? deps.directory.name(m.officerId ?? "") : "pelapor",
        text: open(m),
      })),
    questions: messages
      .filter((m) => m.kind === "question")
      .map((m) => {
        const answer = answers.get(m.id);
        return {
          at: m.createdAt,
          text: open(m),
          ...(answer ? { answer: open(answer) } : {}),
        };
      }),
  });
  await auditOfficerAction(run, "case.viewed", reportId);
  run.reply(message);
  if (evidenceCount > 0) await sendEvidence(run, reportId, row.code, evidenceCount);
});

/**
 * Queues the case's evidence as files to the officer's chat, oldest first and at most
 * {@link MAX_EVIDENCE_FILES}. The outbox keeps only evidence ids; the channel sender reads and uploads
 * the bytes. Files are named after the case code and a number, never the uploader's file name.
 */
async function sendEvidence(run: OfficerRun, reportId: string, code: string, total: number): Promise<void> {
  const ids = await listCaseEvidenceIds(run.tx, reportId, MAX_EVIDENCE_FILES);
  ids.forEach((id, i) => {
    run.reply(
      {
        type: "file",
        ref: id,
        name: `${code}-${i + 1}`,
        caption: say.evidenceCaption(code, i + 1, total),
      },
      "officer.evidence",
    );
  });
  if (total > ids.length) run.reply(say.evidenceMore(code, total - ids.length), "officer.evidence");
  await auditOfficerAction(run, "evidence.sent", reportId, { count: ids.length });
}
