import { type Sealer, sealedAt } from "../storage/crypto.ts";
import type { NewOutboxMessage } from "../storage/outbox.ts";
import type { OutboxPayload } from "./engine-types.ts";

/** The columns of an outbox row that its payload is bound to. */
export type OutboxPlace = { targetKey: string; idempotencyKey: string };

/**
 * An outbox row with its payload sealed at its place (recipient and idempotency key), so a payload
 * copied to another row does not open there.
 */
export function sealOutbox(
  sealer: Sealer,
  row: Omit<NewOutboxMessage, "payloadSealed">,
  payload: OutboxPayload,
): NewOutboxMessage {
  return { ...row, payloadSealed: sealer.sealJson(payload, placeOf(row)) };
}

/**
 * The payload of an outbox row; throws `SealTamperedError` (after the sealer's `onTamper`) when it
 * was sealed for another row or altered.
 */
export function openOutbox(sealer: Sealer, row: OutboxPlace & { payloadSealed: Uint8Array }): OutboxPayload {
  return sealer.openJson<OutboxPayload>(row.payloadSealed, placeOf(row));
}

/** {@link openOutbox}, but undefined when the payload does not open at its row. */
export function tryOpenOutbox(
  sealer: Sealer,
  row: OutboxPlace & { payloadSealed: Uint8Array },
): OutboxPayload | undefined {
  const plain = sealer.tryOpen(row.payloadSealed, placeOf(row));
  return plain === undefined ? undefined : (JSON.parse(plain.toString("utf8")) as OutboxPayload);
}

/** A row moved to another recipient and idempotency key (`/hapus`), its payload re-sealed there. */
export function moveOutbox(sealer: Sealer, row: NewOutboxMessage, to: OutboxPlace): NewOutboxMessage {
  const { payloadSealed, ...rest } = row;
  return sealOutbox(sealer, { ...rest, ...to }, openOutbox(sealer, row));
}

function placeOf(row: OutboxPlace): string {
  return sealedAt.outboxPayload(row.targetKey, row.idempotencyKey);
}
