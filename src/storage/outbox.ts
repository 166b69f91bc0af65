import type { Database, Tx } from "./database.ts";
import { dbExecute, dbQuery } from "./driver.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

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
  await prismaTx(tx).outboxMessage.createMany({
    data: messages.map((m) => ({ ...m, purpose: m.purpose ?? "reply" })),
    skipDuplicates: true,
  });
}

/**
 * How long a claim holds before another sender may take the message. Short, so the messages of a
 * crashed instance flow again within seconds; a live sender renews its claims every
 * {@link CLAIM_RENEW_MS} while sends run (Telegram's in-place waits for 429 included).
 */
export const CLAIM_LEASE_SECONDS = 6;
export const CLAIM_RENEW_MS = 1_500;

/** A claim: the message id and its `attempts` at claim time, which identifies this claim. */
export interface ClaimRef {
  id: string;
  attempts: number;
}

/**
 * Claims up to `limit` due messages, at most one per target and only a target's oldest unsent
 * one, so messages to a person arrive in the order they were written. A claim expires after
 * `leaseSeconds` unless renewed ({@link renewClaims}); an expired claim is taken again (a crashed
 * sender's messages). Each claim increments `attempts`, which names the claim: marks and renewals
 * of an older claim change nothing, so each claim leads to at most one send.
 */
export async function claimOutbox(
  db: Database,
  limit: number,
  leaseSeconds = CLAIM_LEASE_SECONDS,
): Promise<ClaimedMessage[]> {
  // One statement is atomic on its own; no interactive transaction needed. A hot statement: it
  // runs on the driver (driver.ts), not through Prisma.
  const rows = await dbQuery<{
    id: string;
    idempotency_key: string;
    channel: string;
    target_key: string;
    payload_sealed: Uint8Array;
    purpose: string;
    attempts: number;
  }>(
    db,
    {
      name: "suara_claim",
      text: `UPDATE outbox_message SET status = 'sending', attempts = attempts + 1,
       locked_until = now() + make_interval(secs => $2::int)
     WHERE id IN (
       SELECT o.id FROM outbox_message o
       WHERE ((o.status = 'pending' AND o.next_attempt_at <= now())
           OR (o.status = 'sending' AND o.locked_until < now()))
         AND NOT EXISTS (
           SELECT 1 FROM outbox_message p
           WHERE p.target_key = o.target_key AND p.seq < o.seq AND p.status IN ('pending', 'sending'))
       ORDER BY o.seq
       LIMIT $1::int
       FOR UPDATE SKIP LOCKED)
     RETURNING id, idempotency_key, channel, target_key, payload_sealed, purpose, attempts`,
    },
    [limit, leaseSeconds],
  );
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

/** Extends the lease of claims still held (same claim, still sending); returns how many were. */
export async function renewClaims(
  db: Database,
  claims: readonly ClaimRef[],
  leaseSeconds = CLAIM_LEASE_SECONDS,
): Promise<number> {
  if (claims.length === 0) return 0;
  return dbExecute(
    db,
    {
      name: "suara_renew",
      text: `UPDATE outbox_message o SET locked_until = now() + make_interval(secs => $3::int)
     FROM (SELECT unnest($1::text[]) AS id, unnest($2::int[]) AS attempts) v
     WHERE o.id = v.id AND o.attempts = v.attempts AND o.status = 'sending'`,
    },
    [claims.map((c) => c.id), claims.map((c) => c.attempts), leaseSeconds],
  );
}

/**
 * Releases every claim at once, for a sender that is alone on its database (PGlite, which one
 * process opens) at start: claims left over are a dead process's, so they need not run out first.
 */
export async function releaseAllClaims(db: Database): Promise<number> {
  return dbExecute(
    db,
    `UPDATE outbox_message SET status = 'pending', locked_until = NULL, next_attempt_at = now()
     WHERE status = 'sending'`,
  );
}

/**
 * Marks many delivered messages at once (the dispatcher marks the sends that finish together).
 * With `attempts`, only that claim is marked (a message re-claimed after a lapsed lease belongs to
 * its new claim).
 */
export async function markSentMany(
  db: Database,
  sent: readonly { id: string; externalId?: string | undefined; attempts?: number }[],
) {
  if (sent.length === 0) return;
  // A hot statement, on the driver like the claim.
  await dbExecute(
    db,
    {
      name: "suara_mark_sent",
      text: `UPDATE outbox_message o SET status = 'sent', sent_at = now(), locked_until = NULL,
       last_error = NULL, external_id = v.external_id
     FROM (SELECT unnest($1::text[]) AS id, unnest($2::text[]) AS external_id,
                  unnest($3::int[]) AS attempts) v
     WHERE o.id = v.id AND (v.attempts IS NULL OR (o.attempts = v.attempts AND o.status = 'sending'))`,
    },
    [sent.map((m) => m.id), sent.map((m) => m.externalId ?? null), sent.map((m) => m.attempts ?? null)],
  );
}

export async function markSent(db: Database, id: string, externalId?: string): Promise<void> {
  await markSentMany(db, [{ id, externalId }]);
}

/** Which row a mark applies to: any state by id, or only the given claim while it is still held. */
function claimWhere(ref: string | ClaimRef) {
  return typeof ref === "string"
    ? { id: ref }
    : { id: ref.id, attempts: ref.attempts, status: "sending" as const };
}

export async function markRetry(
  db: Database,
  ref: string | ClaimRef,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await prismaOf(db).outboxMessage.updateMany({
    where: claimWhere(ref),
    data: { status: "pending", nextAttemptAt, lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

export async function markDead(db: Database, ref: string | ClaimRef, error: string): Promise<void> {
  await prismaOf(db).outboxMessage.updateMany({
    where: claimWhere(ref),
    data: { status: "dead", lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

/** Holds a message until the recipient comes back (e.g. WhatsApp's 24-hour window closed). */
export async function markHeld(db: Database, ref: string | ClaimRef, error: string): Promise<void> {
  await prismaOf(db).outboxMessage.updateMany({
    where: claimWhere(ref),
    data: { status: "held", lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

/** Releases held messages of a target, e.g. when the reporter writes again. */
export async function releaseHeld(tx: Tx, targetKey: string): Promise<number> {
  const result = await prismaTx(tx).outboxMessage.updateMany({
    where: { targetKey, status: "held" },
    data: { status: "pending", nextAttemptAt: new Date() },
  });
  return result.count;
}
