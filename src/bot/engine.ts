import type { FlowEvent, FlowOutput } from "../flows/message.ts";
import {
  type ChannelState,
  type ConversationRow,
  lockExisting,
  readConversation,
  recordReceipt,
} from "../storage/conversations.ts";
import { sealedAt } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";
import { enqueueOutbox } from "../storage/outbox.ts";
import { EventBatch } from "./engine-batch.ts";
import { resolveEffects } from "./engine-effects.ts";
import { describeError, FlowFailure, isRetryable, langOf, stampedUserEvent } from "./engine-helpers.ts";
import { forgetConversation, writeOutputs } from "./engine-outputs.ts";
import { freshActor, persistedSnapshot, restoreActor } from "./engine-restore.ts";
import { takeFiring } from "./engine-timers.ts";
import type { EffectContext, EngineOptions, HandleOutcome, Inbound } from "./engine-types.ts";
import { KeyedQueue } from "./keyed-queue.ts";

export * from "./engine-types.ts";

/**
 * Runs each event of a conversation in a transaction (shared with other conversations' events that
 * arrive together): de-duplicate, lock the row, restore the actor, send the event, resolve effects,
 * persist the snapshot, write replies to the outbox (sent later) and timers to the job queue, commit.
 */
export class Engine {
  private readonly queue = new KeyedQueue();
  private readonly pending: PendingEvent[] = [];
  private running = 0;
  private scheduled = false;
  private readonly now: () => Date;

  constructor(private readonly opts: EngineOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Handles `inbound`; events of one conversation run one at a time, in arrival order. */
  handle(inbound: Inbound): Promise<HandleOutcome> {
    return this.inTurn(inbound.conversationKey, (apply) => apply(inbound));
  }

  /**
   * Runs `task` in the conversation's turn: the one per-conversation queue that user messages, timers
   * and officer pushes share. `task` may prepare an event first (a media download) and hands it to
   * `apply`, which does not queue again. Used by the inbound path (`inbound.ts`).
   */
  inTurn<T>(
    key: string,
    task: (apply: (inbound: Inbound) => Promise<HandleOutcome>) => Promise<T>,
  ): Promise<T> {
    return this.queue.run(key, () => task((inbound) => this.observed(inbound)));
  }

  /**
   * A look at where the conversation stands, from one read of its row without a lock: ask inside
   * the conversation's turn (`inTurn`), where no event of this process moves it meanwhile.
   * `counted`: its messages counted against the per-sender limit in the current minute.
   * `has(tag)`: whether its current state carries `tag` (a flow's declaration, such as
   * `ACCEPTS_FILES`); a new conversation, or one whose snapshot cannot be read or whose flow
   * restarts, carries none.
   */
  async look(key: string): Promise<{ counted: number; has(tag: string): boolean }> {
    const row = await this.opts.db.transaction((tx) => readConversation(tx, key));
    const { flow, sealer } = this.opts;
    return {
      counted: row?.limitCount ?? 0,
      has(tag) {
        if (!row?.snapshotSealed) return false;
        const { actor, recovered, restart } = restoreActor(flow, sealer, row, []);
        try {
          return !recovered && restart === undefined && actor.getSnapshot().hasTag(tag);
        } finally {
          actor.stop();
        }
      },
    };
  }

  private async observed(inbound: Inbound): Promise<HandleOutcome> {
    const started = performance.now();
    try {
      const outcome = await this.submit(inbound);
      this.opts.observe?.(inbound.channel, outcome, (performance.now() - started) / 1000);
      return outcome;
    } catch (error) {
      this.opts.observe?.(inbound.channel, "error", (performance.now() - started) / 1000);
      throw error;
    }
  }

  /**
   * Group commit: events of different conversations that arrive while a transaction is running
   * are applied together in the next one. A batch that fails as a whole is retried one event per
   * transaction, so one bad event never takes others down with it.
   */
  private submit(inbound: Inbound): Promise<HandleOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ inbound, resolve, reject });
      this.pump();
    });
  }

  /**
   * Batches start from `setImmediate`, after the event loop has read every request that arrived
   * meanwhile (they join them). On PGlite each statement runs on this thread and resolves without
   * I/O, so a batch is one unbroken run of promise callbacks (a few milliseconds an event); started
   * straight from a request's callback, it held every other connection's request behind it.
   */
  private pump(): void {
    const concurrency = this.opts.db.kind === "pglite" ? 1 : (this.opts.batchConcurrency ?? 4);
    if (this.scheduled || this.running >= concurrency || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.running < concurrency && this.pending.length > 0) {
        const batch = this.pending.splice(0, this.opts.maxBatch ?? 32);
        this.running++;
        void this.runBatch(batch).finally(() => {
          this.running--;
          this.pump();
        });
      }
    });
  }

  private async runBatch(batch: PendingEvent[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.inTransaction(batch.map((item) => item.inbound));
        if (results.some((r) => r.outbox > 0)) this.opts.onOutbox?.();
        for (const [i, item] of batch.entries()) item.resolve(results[i]!.outcome);
        return;
      } catch {
        // fall through: apply each event on its own
      }
    }
    for (const item of batch) {
      try {
        item.resolve(await this.handleWithRetry(item.inbound));
      } catch (error) {
        item.reject(error);
      }
    }
  }

  private async handleWithRetry(inbound: Inbound): Promise<HandleOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [result] = await this.inTransaction([inbound]);
        if (result!.outbox > 0) this.opts.onOutbox?.();
        return result!.outcome;
      } catch (error) {
        if (attempt < 3 && isRetryable(error)) continue;
        throw error;
      }
    }
  }

  /** Applies `events` in one transaction; their writes go in one statement before it commits. */
  private inTransaction(events: Inbound[]): Promise<Applied[]> {
    return this.opts.db.transaction(async (tx) => {
      const batch = new EventBatch(tx, this.opts.flow);
      await batch.lockUserMessages(events);
      const out: Applied[] = [];
      for (const inbound of events) out.push(await this.apply(tx, inbound, batch));
      await batch.flush();
      return out;
    });
  }

  /** Applies one event; its conversation's new state and replies join the batch's writes. */
  private async apply(tx: Tx, inbound: Inbound, batch: EventBatch): Promise<Applied> {
    const { flow, sealer, log } = this.opts;
    const now = this.now();
    const key = inbound.conversationKey;
    await batch.before(key);
    const isUser = inbound.event.type === "user.message";
    const receipt = inbound.externalId
      ? { channel: inbound.channel, externalId: inbound.externalId }
      : undefined;
    // Internal events (timers) never create a conversation: one deleted with /hapus stays deleted.
    let row: ConversationRow | undefined;
    let limited = false;
    if (isUser) {
      const { limit } = inbound;
      row = await batch.receive(inbound);
      if (!row) return { outcome: "duplicate", outbox: 0 };
      if (limit && row.limitCount > limit.perMinute && !limit.exempt()) {
        // Past the limit: the first message gets the calm answer, later ones are dropped.
        if (row.limitCount > limit.perMinute + 1) return { outcome: "limited", outbox: 0 };
        limited = true;
        log.warn({ conversation: key, channel: inbound.channel }, "sender over the message limit");
      }
    } else {
      if (receipt && !(await recordReceipt(tx, receipt.channel, receipt.externalId, key))) {
        return { outcome: "duplicate", outbox: 0 };
      }
      row = await lockExisting(tx, key);
      if (!row) return { outcome: "missing", outbox: 0 };
    }
    const state: ChannelState = { ...(row.channelState ?? {}) };
    // A replaced or cancelled timer's firing (or a second delivery of one) never reaches the flow.
    if (inbound.event.type === "timer.fired" && !takeFiring(inbound, state)) {
      return { outcome: "applied", outbox: 0 };
    }
    const outputs: FlowOutput[] = [];
    // The calm answer (with the emergency numbers) instead of the message.
    let event: FlowEvent = limited ? { type: "sender.limited" } : inbound.event;
    if (event.type === "user.message") event = stampedUserEvent(event, state, now);
    if (event.type === "user.message" && this.opts.annotate) event = await this.opts.annotate(tx, key, event);
    const resolveChoice = this.opts.channels[inbound.channel]?.resolveChoice;
    if (event.type === "user.message" && event.message.type === "choice" && resolveChoice && state.offered) {
      event = {
        type: "user.message",
        message: { type: "choice", id: resolveChoice(event.message.id, state.offered) },
      };
    }

    let { actor, recovered, restart } = restoreActor(flow, sealer, row, outputs);
    if (recovered)
      log.warn({ conversation: key, flowVersion: row.flowVersion }, "flow snapshot not restorable");
    if (restart)
      log.info({ conversation: key, event: restart }, "flow version changed; restarting that flow");

    const ctx: EffectContext = { conversationKey: key, channel: inbound.channel, state, now };
    const send = (e: FlowEvent) => {
      actor.send(e);
      if (actor.getSnapshot().status === "error") throw new FlowFailure();
    };
    try {
      if (recovered) {
        send({ type: "user.message", message: { type: "command", command: "menu" } });
      } else if (restart) {
        send(restart);
        // What was typed still counts at the flow's start (danger first); a tap on an old prompt does not.
        if (event.type !== "user.message" || ["text", "command"].includes(event.message.type)) send(event);
      } else {
        send(event);
      }
      await resolveEffects(tx, ctx, this.opts.effects, outputs, send, log);
    } catch (error) {
      if (!(error instanceof FlowFailure)) throw error;
      log.error({ conversation: key, err: describeError(actor) }, "flow failed; restarting at the menu");
      outputs.length = 0;
      ({ actor } = freshActor(flow, langOf(row.lang), outputs, true));
      send({ type: "user.message", message: { type: "command", command: "menu" } });
      recovered = true;
    }
    const { outbox, deleted } = await writeOutputs(tx, this.opts, inbound, outputs, ctx, row.lang);
    const outcome = limited ? "limited" : recovered || restart ? "recovered" : "applied";
    const address = inbound.address;
    const addressSealed =
      address === undefined ? undefined : sealer.sealJson(address, sealedAt.conversationAddress(key));
    if (deleted) {
      // Delete first (that drops every message to the person, which carry the reply address), then
      // withdraw the bot's recent messages and send this event's last reply (how to clear the chat).
      const farewell = await forgetConversation(tx, this.opts, inbound, outbox, now);
      await enqueueOutbox(tx, farewell);
      await this.opts.onForget?.(key);
      return { outcome, outbox: farewell.length };
    }
    const snapshot = persistedSnapshot(flow, actor) as { context?: { lang?: unknown } };
    actor.stop();
    const lang = typeof snapshot.context?.lang === "string" ? snapshot.context.lang : row.lang;
    batch.add({
      key,
      data: {
        flowId: flow.id,
        flowVersion: flow.version,
        snapshotSealed: sealer.sealJson(snapshot, sealedAt.conversationSnapshot(key)),
        lang,
        channelState: state,
        expiresAt: new Date(now.getTime() + this.opts.conversationTtlMs),
        version: row.version + 1,
        ...(addressSealed ? { addressSealed } : {}),
        ...(isUser ? { lastInboundAt: now } : {}),
      },
      outbox,
      releaseHeld: isUser,
    });
    return { outcome, outbox: outbox.length };
  }

  /** Waits for every queued event to finish (used at shutdown). */
  async drain(): Promise<void> {
    await this.queue.drain();
  }
}

/** What applying one event did: its outcome and how many outbox messages it wrote. */
type Applied = { outcome: HandleOutcome; outbox: number };

interface PendingEvent {
  inbound: Inbound;
  resolve(outcome: HandleOutcome): void;
  reject(error: unknown): void;
}
