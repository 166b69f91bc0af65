import type { Database, Tx } from "./database.ts";

/** A message to send, as written by the engine inside its transaction. */
export interface NewOutboxMessage {
  idempotencyKey: string;
  channel: string;
  targetKey: string;
  payloadSealed: Uint8Array<ArrayBuffer>;
  purpose?: string;
}

/** A claimed message, ready for a channel sender. */
export interface ClaimedMessage {
  id: string;
  idempotencyKey: string;
  channel: string;
  targetKey: string;
  payloadSealed: Uint8Array;
  purpose: string;
  attempts: number;
}

/** Inserts messages; a repeated idempotency key is ignored. */
export async function enqueueOutbox(tx: Tx, messages: NewOutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.outboxMessage.createMany({
    data: messages.map((m) => ({ ...m, purpose: m.purpose ?? "reply" })),
    skipDuplicates: true,
  });
}

/**
 * Claims up to `limit` due messages, at most one per target and only a target's oldest unsent
 * one, so messages to a person arrive in the order they were written. A claim expires after
 * `leaseSeconds` (a crashed sender's messages are claimed again). The default outlasts the slowest
 * send (Telegram's in-place waits for 429 included), so a message still being sent is not claimed
 * twice, and keeps recovery after a crash within two minutes.
 */
export async function claimOutbox(
  db: Database,
  limit: number,
  leaseSeconds = 120,
): Promise<ClaimedMessage[]> {
  // One statement is atomic on its own; no interactive transaction needed.
  const rows = await db.prisma.$queryRaw<
    {
      id: string;
      idempotency_key: string;
      channel: string;
      target_key: string;
      payload_sealed: Uint8Array;
      purpose: string;
      attempts: number;
    }[]
  >`
    UPDATE outbox_message SET status = 'sending', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT o.id FROM outbox_message o
      WHERE ((o.status = 'pending' AND o.next_attempt_at <= now())
          OR (o.status = 'sending' AND o.locked_until < now()))
        AND NOT EXISTS (
          SELECT 1 FROM outbox_message p
          WHERE p.target_key = o.target_key AND p.seq < o.seq AND p.status IN ('pending', 'sending'))
      ORDER BY o.seq
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, idempotency_key, channel, target_key, payload_sealed, purpose, attempts`;
  return rows.map((r) => ({
    id: r.id,
    idempotencyKey: r.idempotency_key,
    channel: r.channel,
    targetKey: r.target_key,
    payloadSealed: r.payload_sealed,
    purpose: r.purpose,
    attempts: r.attempts,
  }));
}

/** Marks many delivered messages at once (one statement per dispatch round). */
export async function markSentMany(
  db: Database,
  sent: readonly { id: string; externalId?: string | undefined }[],
) {
  if (sent.length === 0) return;
  await db.prisma.$executeRawUnsafe(
    `UPDATE outbox_message o SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
       external_id = v.external_id
     FROM (SELECT unnest($1::text[]) AS id, unnest($2::text[]) AS external_id) v
     WHERE o.id = v.id`,
    sent.map((m) => m.id),
    sent.map((m) => m.externalId ?? null),
  );
}

export async function markSent(db: Database, id: string, externalId?: string): Promise<void> {
  await markSentMany(db, [{ id, externalId }]);
}

export async function markRetry(db: Database, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await db.prisma.outboxMessage.update({
    where: { id },
    data: { status: "pending", nextAttemptAt, lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

export async function markDead(db: Database, id: string, error: string): Promise<void> {
  await db.prisma.outboxMessage.update({
    where: { id },
    data: { status: "dead", lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

/** Holds a message until the recipient comes back (e.g. WhatsApp's 24-hour window closed). */
export async function markHeld(db: Database, id: string, error: string): Promise<void> {
  await db.prisma.outboxMessage.update({
    where: { id },
    data: { status: "held", lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

/** Releases held messages of a target, e.g. when the reporter writes again. */
export async function releaseHeld(tx: Tx, targetKey: string): Promise<number> {
  const result = await tx.outboxMessage.updateMany({
    where: { targetKey, status: "held" },
    data: { status: "pending", nextAttemptAt: new Date() },
  });
  return result.count;
}
