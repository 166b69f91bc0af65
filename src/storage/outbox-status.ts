import type { Database } from "./database.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/** What a delivery status reported after a message was handed to the channel. */
export type DeliveryOutcome =
  /** Wait for the recipient to come back (e.g. WhatsApp's 24-hour window was closed). */
  | { status: "held"; error: string }
  /** Undeliverable for good; kept for administrators. */
  | { status: "dead"; error: string }
  /** Worth sending again later (throttling, a transient channel error). */
  | { status: "pending"; error: string; nextAttemptAt: Date };

/**
 * Applies a late delivery failure (a channel's status callback) to the outbox message the channel
 * knows as `externalId` (e.g. a wamid). Only a message still marked `sent` changes, so a repeated
 * status callback is a no-op. Returns the message's id and target, or undefined when no sent message
 * has that external id.
 */
export async function applyDeliveryFailure(
  db: Database,
  channel: string,
  externalId: string,
  outcome: DeliveryOutcome,
): Promise<{ id: string; targetKey: string } | undefined> {
  return db.transaction(async (transaction) => {
    const tx = prismaTx(transaction);
    const row = await tx.outboxMessage.findFirst({
      where: { channel, externalId, status: "sent" },
      select: { id: true, targetKey: true },
    });
    if (!row) return undefined;
    await tx.outboxMessage.update({
      where: { id: row.id },
      data: {
        status: outcome.status,
        lockedUntil: null,
        lastError: outcome.error.slice(0, 500),
        ...(outcome.status === "pending" ? { nextAttemptAt: outcome.nextAttemptAt, sentAt: null } : {}),
      },
    });
    return row;
  });
}

/** How many messages to `targetKey` wait for the recipient to come back. */
export async function countHeld(db: Database, targetKey: string): Promise<number> {
  return prismaOf(db).outboxMessage.count({ where: { targetKey, status: "held" } });
}
