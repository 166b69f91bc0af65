import type { ChannelState } from "./conversation-commit.ts";
import type { Tx } from "./database.ts";
import { txQuery } from "./driver.ts";
import { prismaTx } from "./prisma-access.ts";

/** A conversation row as the engine sees it, locked for the current transaction. */
export interface ConversationRow {
  key: string;
  channel: string;
  flowId: string;
  flowVersion: number;
  snapshotSealed: Uint8Array | null;
  lang: string | null;
  channelState: ChannelState | null;
  contactConsent: boolean;
  lastInboundAt: Date | null;
  version: number;
  isNew: boolean;
  /** Messages counted against the per-sender limit in the current minute, this one included. */
  limitCount: number;
}

type LockedRow = {
  key: string;
  channel: string;
  flow_id: string;
  flow_version: number;
  snapshot_sealed: Uint8Array | null;
  lang: string | null;
  channel_state: ChannelState | null;
  contact_consent: boolean;
  last_inbound_at: Date | null;
  version: number;
  inserted: boolean;
  limit_count: number;
};

// Timestamps are stored as UTC in `timestamp` columns; read as `timestamptz` so every driver parses
// them as UTC, and written as ISO strings for the same reason.
const RETURNING = `RETURNING key, channel, flow_id, flow_version, snapshot_sealed, lang, channel_state,
  contact_consent, (last_inbound_at AT TIME ZONE 'UTC') AS last_inbound_at, version, (xmax = 0) AS inserted,
  limit_count`;

/*
 * The per-sender message limit is counted by the statement that locks the row: a window of one
 * minute from its first counted message. A delivery seen before locks nothing and counts nothing.
 */
const COUNT_COLUMNS = "limit_count, limit_window_at";
const COUNT_ON_CONFLICT = `limit_count = CASE
      WHEN EXCLUDED.limit_count = 0 THEN conversation.limit_count
      WHEN conversation.limit_window_at > now() - interval '1 minute' THEN conversation.limit_count + 1
      ELSE 1 END,
    limit_window_at = CASE
      WHEN EXCLUDED.limit_count = 0 OR conversation.limit_window_at > now() - interval '1 minute'
      THEN conversation.limit_window_at ELSE now() END`;

/**
 * Records an inbound delivery; returns false when `(channel, externalId)` was seen before, so the
 * caller can skip it (at-least-once delivery becomes exactly-once transitions).
 */
export async function recordReceipt(
  tx: Tx,
  channel: string,
  externalId: string,
  conversationKey: string,
): Promise<boolean> {
  const inserted = await prismaTx(tx).$executeRaw`
    INSERT INTO inbound_receipt (channel, external_id, conversation_key)
    VALUES (${channel}, ${externalId}, ${conversationKey})
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/**
 * In one statement: records the delivery `(channel, externalId)` and, unless it was seen before,
 * creates the conversation when missing, locks its row until the transaction ends and, when
 * `counted`, counts the message against the sender's limit (`limitCount`). Returns
 * `undefined` for a duplicate delivery. Events of one conversation are thereby applied one at a
 * time, on one instance or several. A hot statement: it runs on the transaction's own driver
 * connection (driver.ts), not through Prisma.
 */
export async function receiveAndLock(
  tx: Tx,
  receipt: { channel: string; externalId: string } | undefined,
  key: string,
  channel: string,
  flowId: string,
  flowVersion: number,
  counted = false,
): Promise<ConversationRow | undefined> {
  const count = counted ? 1 : 0;
  const rows = receipt
    ? await txQuery<LockedRow>(
        tx,
        {
          name: "suara_receive_lock",
          text: `WITH receipt AS (
           INSERT INTO inbound_receipt (channel, external_id, conversation_key) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING 1)
         INSERT INTO conversation (key, channel, flow_id, flow_version, updated_at, ${COUNT_COLUMNS})
         SELECT $3, $4, $5, $6, now(), $7::int, now() WHERE EXISTS (SELECT 1 FROM receipt)
         ON CONFLICT (key) DO UPDATE SET ${COUNT_ON_CONFLICT}
         ${RETURNING}`,
        },
        [receipt.channel, receipt.externalId, key, channel, flowId, flowVersion, count],
      )
    : await txQuery<LockedRow>(
        tx,
        {
          name: "suara_lock",
          text: `INSERT INTO conversation (key, channel, flow_id, flow_version, updated_at, ${COUNT_COLUMNS})
         VALUES ($1, $2, $3, $4, now(), $5::int, now())
         ON CONFLICT (key) DO UPDATE SET ${COUNT_ON_CONFLICT}
         ${RETURNING}`,
        },
        [key, channel, flowId, flowVersion, count],
      );
  const row = rows[0];
  return row ? toRow(row) : undefined;
}

/** One message to receive and lock in {@link receiveAndLockMany}. */
export interface LockRequest {
  key: string;
  channel: string;
  receipt?: { channel: string; externalId: string };
  counted: boolean;
}

/*
 * receiveAndLock for several conversations in one statement (the requests as one JSON array):
 * every new delivery's receipt, then its conversation created or locked, in key order, so two
 * batches lock their rows in the same order.
 */
const RECEIVE_LOCK_MANY = {
  name: "suara_receive_lock_many",
  text: `WITH i AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS i(key text, channel text, receipt_channel text, external_id text, counted int)
  ), receipt AS (
    INSERT INTO inbound_receipt (channel, external_id, conversation_key)
    SELECT receipt_channel, external_id, key FROM i WHERE external_id IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING conversation_key
  )
  INSERT INTO conversation (key, channel, flow_id, flow_version, updated_at, ${COUNT_COLUMNS})
  SELECT i.key, i.channel, $2::text, $3::int, now(), i.counted, now() FROM i
  WHERE i.external_id IS NULL OR EXISTS (SELECT 1 FROM receipt r WHERE r.conversation_key = i.key)
  ORDER BY i.key
  ON CONFLICT (key) DO UPDATE SET ${COUNT_ON_CONFLICT}
  ${RETURNING}`,
};

/**
 * {@link receiveAndLock} for the messages of several conversations in one statement; the row of each
 * request, in order (`undefined`: a duplicate delivery). Keys must be distinct.
 */
export async function receiveAndLockMany(
  tx: Tx,
  requests: readonly LockRequest[],
  flowId: string,
  flowVersion: number,
): Promise<(ConversationRow | undefined)[]> {
  if (requests.length === 0) return [];
  if (new Set(requests.map((r) => r.key)).size !== requests.length) {
    throw new Error("receiveAndLockMany needs distinct conversation keys");
  }
  const json = requests.map((r) => ({
    key: r.key,
    channel: r.channel,
    receipt_channel: r.receipt?.channel ?? null,
    external_id: r.receipt?.externalId ?? null,
    counted: r.counted ? 1 : 0,
  }));
  const rows = await txQuery<LockedRow>(tx, RECEIVE_LOCK_MANY, [JSON.stringify(json), flowId, flowVersion]);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return requests.map((r) => {
    const row = byKey.get(r.key);
    return row ? toRow(row) : undefined;
  });
}

/** Creates the conversation when missing and locks its row until the transaction ends. */
export async function lockConversation(
  tx: Tx,
  key: string,
  channel: string,
  flowId: string,
  flowVersion: number,
): Promise<ConversationRow> {
  const row = await receiveAndLock(tx, undefined, key, channel, flowId, flowVersion);
  if (!row) throw new Error("conversation row vanished while locking");
  return row;
}

const SELECT_ROW = `SELECT key, channel, flow_id, flow_version, snapshot_sealed, lang, channel_state,
  contact_consent, (last_inbound_at AT TIME ZONE 'UTC') AS last_inbound_at, version, false AS inserted,
  CASE WHEN limit_window_at > now() - interval '1 minute' THEN limit_count ELSE 0 END AS limit_count
  FROM conversation WHERE key = $1`;

/** Locks an existing conversation; `undefined` when there is none (e.g. deleted with /hapus). */
export async function lockExisting(tx: Tx, key: string): Promise<ConversationRow | undefined> {
  const rows = await txQuery<LockedRow>(
    tx,
    { name: "suara_lock_existing", text: `${SELECT_ROW} FOR UPDATE` },
    [key],
  );
  return rows[0] ? toRow(rows[0]) : undefined;
}

/** Reads a conversation without locking it (a look at where it stands); `undefined` when there is none. */
export async function readConversation(tx: Tx, key: string): Promise<ConversationRow | undefined> {
  const rows = await txQuery<LockedRow>(tx, { name: "suara_read_conversation", text: SELECT_ROW }, [key]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

function toRow(row: LockedRow): ConversationRow {
  return {
    key: row.key,
    channel: row.channel,
    flowId: row.flow_id,
    flowVersion: row.flow_version,
    snapshotSealed: row.snapshot_sealed,
    lang: row.lang,
    channelState: row.channel_state,
    contactConsent: row.contact_consent,
    lastInboundAt: row.last_inbound_at,
    version: row.version,
    isNew: row.inserted || row.snapshot_sealed === null,
    limitCount: row.limit_count,
  };
}

export * from "./conversation-commit.ts";

/**
 * `/hapus`: removes at once every row and job tied to the pseudonym `key`: the conversation and its
 * reply address, every outbox message to it (sent ones too), delivery receipts, draft evidence,
 * the link from a stored report, and pg-boss jobs whose data names it (timers, pushes), archived
 * ones included. A stored report keeps no link back.
 */
export async function deleteConversation(tx: Tx, key: string): Promise<void> {
  await prismaTx(tx).outboxMessage.deleteMany({ where: { targetKey: key } });
  await prismaTx(tx).inboundReceipt.deleteMany({ where: { conversationKey: key } });
  await prismaTx(tx).evidence.deleteMany({ where: { conversationKey: key, reportId: null } });
  await prismaTx(tx).conversation.deleteMany({ where: { key } });
  await prismaTx(tx).report.updateMany({ where: { conversationKey: key }, data: { conversationKey: null } });
  for (const table of ["job", "archive"]) {
    const [found] = await prismaTx(tx).$queryRawUnsafe<{ t: string | null }[]>(
      `SELECT to_regclass('pgboss.${table}')::text AS t`,
    );
    if (!found?.t) continue;
    // Keys are hex HMACs: as a LIKE pattern they match only themselves.
    await prismaTx(tx).$executeRawUnsafe(
      `DELETE FROM pgboss.${table} WHERE data::text LIKE '%' || $1 || '%'`,
      key,
    );
  }
}

/** The channel's ids of messages sent to `key` since `since` (for withdrawing them after `/hapus`). */
export async function recentSentRefs(tx: Tx, key: string, since: Date): Promise<string[]> {
  const rows = await prismaTx(tx).outboxMessage.findMany({
    where: { targetKey: key, status: "sent", sentAt: { gte: since }, externalId: { not: null } },
    orderBy: { seq: "asc" },
    select: { externalId: true },
  });
  return rows.map((r) => r.externalId!);
}
