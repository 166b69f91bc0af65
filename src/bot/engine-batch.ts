import {
  CommitBatch,
  type ConversationRow,
  type LockRequest,
  receiveAndLockMany,
} from "../storage/conversations.ts";
import type { Tx } from "../storage/database.ts";
import type { Inbound } from "./engine-types.ts";

/**
 * The events of one transaction (group commit): the rows of their user messages received and locked
 * up front in one statement, and their writes made together in one statement before it commits
 * (`CommitBatch`). A conversation with more than one event in the batch is locked when its event
 * comes, after what the batch has written for it so far, so it always reads its own latest state.
 */
export class EventBatch extends CommitBatch {
  private readonly locked = new Map<Inbound, ConversationRow | undefined>();

  constructor(
    tx: Tx,
    private readonly flow: { id: string; version: number },
  ) {
    super(tx);
  }

  /** Receives and locks the user messages of every conversation that has one event in `events`. */
  async lockUserMessages(events: readonly Inbound[]): Promise<void> {
    const seen = new Map<string, number>();
    for (const e of events) seen.set(e.conversationKey, (seen.get(e.conversationKey) ?? 0) + 1);
    const once = events.filter((e) => e.event.type === "user.message" && seen.get(e.conversationKey) === 1);
    const rows = await this.lock(once);
    for (const [i, e] of once.entries()) this.locked.set(e, rows[i]);
  }

  /** The locked row of a user message (`undefined`: a duplicate delivery). */
  async receive(inbound: Inbound): Promise<ConversationRow | undefined> {
    if (this.locked.has(inbound)) return this.locked.get(inbound);
    const [row] = await this.lock([inbound]);
    return row;
  }

  private lock(events: readonly Inbound[]): Promise<(ConversationRow | undefined)[]> {
    return receiveAndLockMany(this.tx, events.map(lockRequest), this.flow.id, this.flow.version);
  }
}

/** What receiving a user message locks and counts. */
function lockRequest(e: Inbound): LockRequest {
  return {
    key: e.conversationKey,
    channel: e.channel,
    ...(e.externalId ? { receipt: { channel: e.channel, externalId: e.externalId } } : {}),
    counted: !!e.limit,
  };
}
