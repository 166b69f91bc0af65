import type { OutboundMessage } from "../../flows/message.ts";
import { appendAudit } from "../../storage/audit.ts";
import type { CaseRow } from "../../storage/cases.ts";
import type { Tx } from "../../storage/database.ts";
import type { NewOutboxMessage } from "../../storage/outbox.ts";
import type { OfficerInbound } from "./officer-gateway.ts";
import type { ReporterPush } from "./reporter-push.ts";

/** One recognised officer's message being handled, inside its transaction. */
export type OfficerRun = {
  tx: Tx;
  officerId: string;
  /**
   * The officers whose access bounds what this run may show or change: the sender, and in a unit's
   * group also the group's own entry, because every member of the group reads the answer.
   */
  viewers: readonly string[];
  inbound: OfficerInbound;
  now: Date;
  /** Sender and chat: the key of a pending "Tanya pelapor" question. */
  chatKey: string;
  out: NewOutboxMessage[];
  /** Pushes to reporters, sent after the commit. */
  pushes: ReporterPush[];
  /** Queues a message to the chat the command came from (`purpose` defaults to `officer.reply`). */
  reply(message: OutboundMessage | string, purpose?: string): void;
};

/** Records an officer's action in the audit log, with the channel and whether it came from a group. */
export async function auditOfficerAction(
  run: OfficerRun,
  action: string,
  reportId: string | null,
  details: object = {},
): Promise<void> {
  await appendAudit(run.tx, {
    actor: run.officerId,
    action,
    reportId,
    details: { channel: run.inbound.address.channel, group: run.inbound.isGroup, ...details },
  });
}

/** A case found for an officer command, locked for the rest of the transaction (`case-scope.ts`). */
export type FoundCase = CaseRow;
