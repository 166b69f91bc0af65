import type { Database } from "./database.ts";
import { Prisma } from "./generated/client.ts";
import { prismaTx } from "./prisma-access.ts";

export interface PurgeOptions {
  now: Date;
  /** Closed cases lose content, evidence and messages after this many days. */
  closedCaseRetentionDays: number;
  /** Delivery receipts and delivered outbox rows are kept this long for de-duplication and audit. */
  receiptDays?: number;
}

export interface PurgeResult {
  conversations: number;
  addresses: number;
  receipts: number;
  outbox: number;
  drafts: number;
  closedCases: number;
  checkins: number;
}

/** Check-ins are deleted this long after the last check-in question. */
export const CHECKIN_RETENTION_DAYS = 30;

/**
 * Retention: removes check-ins 30 days after their last check-in, expired conversations (a reporter who consented to contact about an open
 * case keeps only the sealed reply address), old receipts, delivered outbox rows, orphaned
 * draft evidence, and the personal details of long-closed cases.
 */
export async function purgeExpired(db: Database, opts: PurgeOptions): Promise<PurgeResult> {
  const receiptCutoff = new Date(opts.now.getTime() - (opts.receiptDays ?? 7) * 86_400_000);
  const closedCutoff = new Date(opts.now.getTime() - opts.closedCaseRetentionDays * 86_400_000);
  return db.transaction(async (transaction) => {
    const tx = prismaTx(transaction);
    const openConsent = await tx.report.findMany({
      where: { status: { not: "closed" }, consentContact: true, conversationKey: { not: null } },
      select: { conversationKey: true },
    });
    const checkinCutoff = new Date(opts.now.getTime() - CHECKIN_RETENTION_DAYS * 86_400_000);
    const checkins = await tx.checkin.deleteMany({
      where: {
        OR: [
          { status: "done", lastCheckinAt: { lt: checkinCutoff } },
          { status: "done", lastCheckinAt: null, createdAt: { lt: checkinCutoff } },
        ],
      },
    });
    // Conversations with check-ins (the worker's and linked family's) stay whole while the check-ins last.
    const following = await tx.checkin.findMany({
      select: { conversationKey: true, family: { select: { conversationKey: true } } },
    });
    const hold = following.flatMap((c) => [c.conversationKey, ...c.family.map((f) => f.conversationKey)]);
    const keep = openConsent.map((r) => r.conversationKey!).filter(Boolean);
    const addresses = await tx.conversation.updateMany({
      where: { expiresAt: { lt: opts.now }, AND: [{ key: { in: keep } }, { key: { notIn: hold } }] },
      data: { snapshotSealed: null, channelState: Prisma.DbNull },
    });
    const expired = await tx.conversation.deleteMany({
      where: { expiresAt: { lt: opts.now }, key: { notIn: [...keep, ...hold] } },
    });
    const receipts = await tx.inboundReceipt.deleteMany({ where: { receivedAt: { lt: receiptCutoff } } });
    const outbox = await tx.outboxMessage.deleteMany({
      where: {
        OR: [
          { status: { in: ["sent", "dead"] }, createdAt: { lt: receiptCutoff } },
          // A held message whose conversation expired has nobody left to deliver it to.
          { status: "held", createdAt: { lt: receiptCutoff }, targetKey: { notIn: [...keep, ...hold] } },
        ],
      },
    });
    const drafts = await tx.evidence.deleteMany({
      where: { reportId: null, createdAt: { lt: receiptCutoff } },
    });
    const closed = await tx.report.findMany({
      where: { status: "closed", closedAt: { lt: closedCutoff }, contentSealed: { not: new Uint8Array() } },
      select: { id: true },
    });
    const ids = closed.map((r) => r.id);
    if (ids.length > 0) {
      await tx.evidence.deleteMany({ where: { reportId: { in: ids } } });
      await tx.caseMessage.deleteMany({ where: { reportId: { in: ids } } });
      await tx.report.updateMany({
        where: { id: { in: ids } },
        data: { contentSealed: new Uint8Array(), conversationKey: null, pinHash: "purged" },
      });
    }
    return {
      conversations: expired.count,
      addresses: addresses.count,
      receipts: receipts.count,
      outbox: outbox.count,
      drafts: drafts.count,
      closedCases: ids.length,
      checkins: checkins.count,
    };
  });
}
