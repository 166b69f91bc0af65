import { deleteConversation } from "./conversations.ts";
import type { Database } from "./database.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/*
 * The outbox seen from a channel whose recipient collects its messages (the web chat): messages stay
 * in the outbox until the browser acknowledges them, so a closed tab or a restart loses nothing.
 */

/** A message waiting to be collected, by its place in the recipient's order. */
export interface Collectable {
  id: string;
  seq: number;
  targetKey: string;
  idempotencyKey: string;
  payloadSealed: Uint8Array;
}

/** Up to `limit` undelivered messages to `targetKey` after `afterSeq`, oldest first. */
export async function collectOutbox(
  db: Database,
  channel: string,
  targetKey: string,
  afterSeq: number,
  limit = 50,
): Promise<Collectable[]> {
  const rows = await prismaOf(db).outboxMessage.findMany({
    where: {
      channel,
      targetKey,
      seq: { gt: BigInt(afterSeq) },
      status: { in: ["pending", "sending", "held"] },
    },
    orderBy: { seq: "asc" },
    take: limit,
    select: { id: true, seq: true, targetKey: true, idempotencyKey: true, payloadSealed: true },
  });
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** Marks every undelivered message to `targetKey` up to `seq` as delivered (the recipient has it). */
export async function acknowledgeOutbox(
  db: Database,
  channel: string,
  targetKey: string,
  seq: number,
): Promise<number> {
  const result = await prismaOf(db).outboxMessage.updateMany({
    where: { channel, targetKey, seq: { lte: BigInt(seq) }, status: { in: ["pending", "sending", "held"] } },
    data: { status: "sent", sentAt: new Date(), lockedUntil: null, lastError: null },
  });
  return result.count;
}

/**
 * Forgets a conversation as `/hapus` does (conversation, receipts, draft evidence, undelivered
 * messages; a stored report keeps no link back), and also the delivered messages of `channel`,
 * which a collecting channel keeps in the outbox.
 */
export async function forgetConversation(db: Database, channel: string, key: string): Promise<void> {
  await db.transaction(async (tx) => {
    await deleteConversation(tx, key);
    await prismaTx(tx).outboxMessage.deleteMany({ where: { channel, targetKey: key } });
  });
}
