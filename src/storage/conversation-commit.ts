import type { Tx } from "./database.ts";
import { txExecute } from "./driver.ts";

/** Engine bookkeeping per conversation that is not part of the flow snapshot. */
export interface ChannelState {
  /** Option ids of the last numbered menu shown, so a typed "7" picks option 7. */
  numbered?: string[];
  /** Option ids of the last message with choices, to resolve channel-shortened button payloads. */
  offered?: string[];
  /** Pending durable timer job per timer name, replaced when the flow asks again. */
  timers?: Record<string, string>;
}

/** The state to save after an applied event. */
export interface ConversationUpdate {
  flowId: string;
  flowVersion: number;
  snapshotSealed: Uint8Array<ArrayBuffer>;
  lang: string | null;
  channelState: ChannelState;
  addressSealed?: Uint8Array<ArrayBuffer>;
  lastInboundAt?: Date;
  expiresAt: Date;
  version: number;
}

/** A message written to the outbox together with the conversation's new state. */
export interface OutboxRow {
  idempotencyKey: string;
  channel: string;
  targetKey: string;
  payloadSealed: Uint8Array<ArrayBuffer>;
  purpose?: string;
}

/** One applied event's writes: the conversation's new state and its outbox messages. */
export interface ConversationCommit {
  key: string;
  data: ConversationUpdate;
  outbox: readonly OutboxRow[];
  /** Release the messages held for this person (they wrote again, e.g. WhatsApp's 24-hour window). */
  releaseHeld: boolean;
}

/*
 * One statement for any number of conversations: their rows and messages travel as two JSON
 * arrays (bytes as base64), so the text never changes and is prepared once per connection, on
 * node-postgres and PGlite alike. Messages are inserted in the order given (`n`): their `seq`
 * is drawn above the sort and orders what each person receives. A repeated idempotency key is
 * ignored. Held messages are released before this statement's own messages exist (one snapshot).
 */
const COMMIT_MANY = {
  name: "suara_commit_many",
  text: `WITH d AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(key text, flow_id text, flow_version int,
      snapshot text, lang text, channel_state jsonb, version int, expires_at timestamp, address text,
      last_inbound_at timestamp, release_held boolean)
  ), released AS (
    UPDATE outbox_message o SET status = 'pending', next_attempt_at = now()
    FROM d WHERE d.release_held AND o.target_key = d.key AND o.status = 'held' RETURNING 1
  ), sent AS (
    INSERT INTO outbox_message (id, idempotency_key, channel, target_key, payload_sealed, purpose)
    SELECT gen_random_uuid()::text, m.idempotency_key, m.channel, m.target_key, decode(m.payload, 'base64'),
      m.purpose
    FROM jsonb_to_recordset($2::jsonb) AS m(n int, idempotency_key text, channel text, target_key text,
      payload text, purpose text)
    ORDER BY m.n
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1
  )
  UPDATE conversation c SET flow_id = d.flow_id, flow_version = d.flow_version,
    snapshot_sealed = decode(d.snapshot, 'base64'), lang = d.lang, channel_state = d.channel_state,
    version = d.version, expires_at = d.expires_at,
    address_sealed = COALESCE(decode(d.address, 'base64'), c.address_sealed),
    last_inbound_at = COALESCE(d.last_inbound_at, c.last_inbound_at), updated_at = now()
  FROM d WHERE c.key = d.key`,
};

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/**
 * A hot statement, on the transaction's own driver connection (driver.ts). In one statement, for
 * every commit: saves the conversation's new state, writes its outbox messages and, when
 * `releaseHeld`, releases messages held for that person. Keys must be distinct.
 */
export async function commitConversations(tx: Tx, commits: readonly ConversationCommit[]): Promise<void> {
  if (commits.length === 0) return;
  const rows = commits.map(({ key, data, releaseHeld }) => ({
    key,
    flow_id: data.flowId,
    flow_version: data.flowVersion,
    snapshot: base64(data.snapshotSealed),
    lang: data.lang,
    channel_state: data.channelState,
    version: data.version,
    expires_at: data.expiresAt.toISOString(),
    address: data.addressSealed ? base64(data.addressSealed) : null,
    last_inbound_at: data.lastInboundAt?.toISOString() ?? null,
    release_held: releaseHeld,
  }));
  const messages = commits
    .flatMap((c) => c.outbox)
    .map((m, n) => ({
      n,
      idempotency_key: m.idempotencyKey,
      channel: m.channel,
      target_key: m.targetKey,
      payload: base64(m.payloadSealed),
      purpose: m.purpose ?? "reply",
    }));
  await txExecute(tx, COMMIT_MANY, [JSON.stringify(rows), JSON.stringify(messages)]);
}

/** Saves the state after an applied event (without outbox messages). */
export async function saveConversation(tx: Tx, key: string, data: ConversationUpdate): Promise<void> {
  await commitConversations(tx, [{ key, data, outbox: [], releaseHeld: false }]);
}

/**
 * The commits of one transaction's events, written together in one statement before it commits
 * (group commit: one statement instead of one per event). An event of a conversation already in
 * the batch first flushes what is waiting, so it reads that conversation's saved state.
 */
export class CommitBatch {
  private readonly waiting: ConversationCommit[] = [];

  constructor(protected readonly tx: Tx) {}

  /** Call before locking `key`: writes what waits when `key` is among it. */
  async before(key: string): Promise<void> {
    if (this.waiting.some((c) => c.key === key)) await this.flush();
  }

  add(commit: ConversationCommit): void {
    this.waiting.push(commit);
  }

  async flush(): Promise<void> {
    await commitConversations(this.tx, this.waiting.splice(0));
  }
}
