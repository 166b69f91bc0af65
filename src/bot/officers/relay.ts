import { randomUUID } from "node:crypto";
import type { OutboundMessage } from "../../flows/message.ts";
import { appendAudit } from "../../storage/audit.ts";
import { addCaseMessage, findCaseMessage } from "../../storage/case-messages.ts";
import { findCaseById } from "../../storage/cases.ts";
import { type Sealer, sealedAt } from "../../storage/crypto.ts";
import type { Tx } from "../../storage/database.ts";
import { listEscalations } from "../../storage/escalations.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../../storage/outbox.ts";
import type { CaseAppended } from "../cases.ts";
import { findVisibleCase } from "./case-scope.ts";
import { officerQuestionText } from "./case-texts.ts";
import { cleanForOfficers } from "./clean-text.ts";
import type { Escalation } from "./escalation.ts";
import type { OfficerDirectory } from "./officer-directory.ts";
import { officerReplies as say } from "./officer-replies.ts";
import { auditOfficerAction, type OfficerRun } from "./officer-run.ts";
import type { ReporterPushes } from "./reporter-push.ts";

export interface RelayOptions {
  directory: OfficerDirectory;
  escalation: Escalation;
  sealer: Sealer;
  pushes: ReporterPushes;
}

/** How long the "Tanya pelapor" button waits for the officer's next message. */
const ASK_WINDOW_MS = 15 * 60 * 1000;

/**
 * The anonymous relay between officers and a reporter: an officer's question goes to the reporter
 * as a push, and the reporter's answer or addition comes back to the officers on the case. Officers
 * never see who the reporter is, and reporters never see which officer or chat asked.
 */
export class Relay {
  /** Officers who pressed "Tanya pelapor" and whose next message is the question (per chat, in memory). */
  private readonly pendingAsks = new Map<string, { code: string; until: number }>();

  constructor(private readonly opts: RelayOptions) {}

  /** Remembers that the next message in this chat (see {@link OfficerRun.chatKey}) is a question on `code`. */
  awaitQuestion(chatKey: string, code: string): void {
    this.pendingAsks.set(chatKey, { code, until: Date.now() + ASK_WINDOW_MS });
    const now = Date.now();
    for (const [key, value] of this.pendingAsks) if (value.until < now) this.pendingAsks.delete(key);
  }

  /** The case whose question this chat's next message is, if the officer pressed "Tanya pelapor". */
  pendingQuestion(chatKey: string): string | undefined {
    return this.pendingAsks.get(chatKey)?.code;
  }

  /** Forgets a pending question once the message that answers it is handled. */
  forget(chatKey: string): void {
    this.pendingAsks.delete(chatKey);
  }

  /**
   * Stores an officer's question on the case and pushes it to the reporter when reachable. The case
   * is looked up again within the officer's scope: the "Tanya pelapor" button's follow-up message
   * arrives here without passing a command handler.
   */
  async ask(run: OfficerRun, code: string, question: string): Promise<void> {
    const text = question.trim();
    if (!text || text.length > 1000) return run.reply(say.usage("ask"));
    const report = await findVisibleCase(run, this.opts.directory.contacts, code, "ask");
    if (!report) return run.reply(say.unknownCase(code));
    const id = randomUUID();
    const created = await addCaseMessage(run.tx, {
      id,
      reportId: report.id,
      kind: "question",
      officerId: run.officerId,
      bodySealed: new Uint8Array(this.opts.sealer.seal(text, sealedAt.caseMessageBody(id))),
    });
    await this.opts.escalation.acknowledge(run.tx, report.id, run.officerId, "ask");
    await auditOfficerAction(run, "case.question", report.id);
    const pushed = await this.opts.pushes.queue(run, report, `question:${created.id}`, (lang) =>
      officerQuestionText(lang, report.code, text),
    );
    run.reply(say.asked(report.code, pushed, run.inbound.isGroup));
  }

  /**
   * Relays a reporter's answer or addition to the officers on the case: whoever asked the question
   * answered, the assignee, else whoever acknowledged, else everyone alerted. Runs in the reporter's
   * transaction.
   */
  async onCaseAppended(tx: Tx, event: CaseAppended): Promise<void> {
    const report = await findCaseById(tx, event.reportId);
    if (!report) return;
    const message = event.messageId ? await findCaseMessage(tx, event.messageId) : undefined;
    const fresh = message !== undefined;
    const recipients = new Set<string>();
    if (fresh && message.replyTo) {
      const question = await findCaseMessage(tx, message.replyTo);
      if (question?.officerId) recipients.add(question.officerId);
    }
    if (report.assignedOfficerId) recipients.add(report.assignedOfficerId);
    if (recipients.size === 0) {
      const steps = await listEscalations(tx, report.id);
      const acked = steps.find((s) => s.status === "acknowledged" && s.ackedBy);
      if (acked?.ackedBy) recipients.add(acked.ackedBy);
      else for (const s of steps) for (const id of s.officerIds) recipients.add(id);
    }
    if (recipients.size === 0) return;
    const parts: string[] = [];
    if (fresh) {
      const body = cleanForOfficers(
        this.opts.sealer.open(message.bodySealed, sealedAt.caseMessageBody(message.id)).toString("utf8"),
      );
      parts.push(event.kind === "answer" ? say.answer(event.code, body) : say.info(event.code, body));
    }
    if (event.evidenceCount > 0) parts.push(say.newEvidence(event.code, event.evidenceCount));
    if (parts.length === 0) return;
    const text: OutboundMessage = { type: "text", text: parts.join("\n\n") };
    const relayId = fresh ? message.id : randomUUID();
    const out: NewOutboxMessage[] = [];
    for (const officerId of recipients) {
      const target = await this.opts.directory.target(tx, officerId);
      if (target) {
        out.push(
          this.opts.directory.outbox(target, text, `relay:${relayId}:${officerId}`, `relay.${event.kind}`),
        );
      }
    }
    await enqueueOutbox(tx, out);
    await appendAudit(tx, {
      actor: "system",
      action: "relay.to_officers",
      reportId: report.id,
      details: { kind: event.kind, officers: [...recipients], evidence: event.evidenceCount },
    });
  }
}
