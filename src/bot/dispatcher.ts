import type { Logger } from "pino";
import type { OutboundMessage } from "../flows/message.ts";
import { type Sealer, SealTamperedError } from "../storage/crypto.ts";
import type { Database } from "../storage/database.ts";
import {
  CLAIM_RENEW_MS,
  type ClaimedMessage,
  claimOutbox,
  markDead,
  markHeld,
  markRetry,
  releaseAllClaims,
  renewClaims,
} from "../storage/outbox.ts";
import type { OutboxPayload } from "./engine.ts";
import { openOutbox } from "./outbox-payload.ts";
import { SentMarks } from "./sent-marks.ts";

/** What a channel must implement to deliver outbox messages. */
export interface ChannelSender {
  /**
   * Delivers `message` to `address`. Resolves with the channel's message id when known. Throws a
   * {@link SendError} (or anything else, treated as retryable) when delivery failed.
   */
  send(
    address: unknown,
    message: OutboundMessage,
    meta: { idempotencyKey: string; purpose: string; targetKey: string },
  ): Promise<{ externalId?: string } | undefined>;
}

/** A failed delivery, classified so the dispatcher knows whether to retry, hold or give up. */
export class SendError extends Error {
  override readonly name = "SendError";
  constructor(
    message: string,
    readonly disposition: "retry" | "hold" | "fail",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DispatcherOptions {
  db: Database;
  sealer: Sealer;
  log: Logger;
  senders: Record<string, ChannelSender>;
  /** Attempts before a message is dead-lettered. */
  maxAttempts?: number;
  /** Backoff for attempt n (1-based), in ms. */
  backoffMs?: (attempt: number) => number;
  /** Poll interval for retries and messages left by a crashed instance. */
  pollMs?: number;
  batchSize?: number;
  /**
   * This dispatcher is the only sender on its database (PGlite, which one process opens): claims
   * found at start are a dead process's and are released at once instead of running out.
   */
  exclusive?: boolean;
  onResult?: (result: "sent" | "retry" | "held" | "dead") => void;
}

/**
 * Sends outbox messages after their transaction committed: at least once, in order per
 * recipient, with retries and exponential backoff; after the last attempt a message is
 * dead-lettered and logged for administrators, never dropped silently.
 */
export class Dispatcher {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private current: Promise<void> = Promise.resolve();
  /** Sends done and waiting for their mark; marked together by one statement (see markSent). */
  /** Sent messages are marked through this (see SentMarks: together on PostgreSQL). */
  private readonly marks: SentMarks;

  constructor(private readonly opts: DispatcherOptions) {
    this.marks = new SentMarks(opts.db, () => opts.onResult?.("sent"));
  }

  start(): void {
    this.stopped = false;
    if (this.opts.exclusive) {
      // The first round waits for the release, so nothing is claimed before it.
      this.running = true;
      this.current = releaseAllClaims(this.opts.db)
        .then((released) => {
          if (released > 0) this.opts.log.info({ released }, "released the claims of a stopped process");
        })
        .catch((error: Error) => this.opts.log.error({ err: error.message }, "releasing claims failed"))
        .finally(() => {
          this.running = false;
          this.kick();
        });
    }
    const poll = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(poll, this.opts.pollMs ?? 1000);
      this.timer.unref();
    };
    poll();
  }

  /** Asks for a dispatch round now (after a commit). Rounds never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.loop().finally(() => {
      this.running = false;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let claimed = 0;
      try {
        claimed = await this.round();
      } catch (error) {
        this.opts.log.error({ err: (error as Error).message }, "outbox round failed");
        return;
      }
      if (claimed > 0) this.again = true;
    } while (this.again && !this.stopped);
  }

  /** Claims and sends one batch; returns how many messages were claimed. */
  async round(): Promise<number> {
    const { db, log } = this.opts;
    const batch = await claimOutbox(db, this.opts.batchSize ?? 50);
    if (batch.length === 0) return 0;
    // Short leases, renewed while this round's sends run: a live sender keeps its claims, a
    // crashed one loses them within seconds.
    const claims = batch.map((m) => ({ id: m.id, attempts: m.attempts }));
    const renewal = setInterval(() => {
      renewClaims(db, claims).catch((error: Error) =>
        log.warn({ err: error.message }, "renewing outbox claims failed"),
      );
    }, CLAIM_RENEW_MS);
    renewal.unref();
    try {
      // Each message is marked sent right after its own send (see deliver), so a crash repeats at
      // most the sends in flight: one per recipient, as a claim holds one message per target.
      const settled = await Promise.allSettled(batch.map((m) => this.deliver(m)));
      const failed = settled.find((s) => s.status === "rejected");
      if (failed) throw failed.reason;
    } finally {
      clearInterval(renewal);
    }
    return batch.length;
  }

  private async deliver(m: ClaimedMessage): Promise<void> {
    const { log, db } = this.opts;
    const maxAttempts = this.opts.maxAttempts ?? 8;
    const sender = this.opts.senders[m.channel];
    let payload: OutboxPayload;
    try {
      payload = openOutbox(this.opts.sealer, m);
    } catch (error) {
      // A payload altered or copied here from another row (SealTamperedError) is never sent: the
      // row is dead-lettered once, by this claim, and logged with the pseudonymous target only.
      const tampered = error instanceof SealTamperedError;
      const why = tampered ? "does not open at this row" : (error as Error).message;
      await markDead(db, m, `unreadable payload: ${why}`);
      log.error(
        { outbox: m.id, target: m.targetKey, tampered },
        "outbox message dead-lettered: unreadable payload",
      );
      this.opts.onResult?.("dead");
      return;
    }
    if (!sender) {
      await this.failOrRetry(m, `no sender for channel ${m.channel}`, maxAttempts);
      return;
    }
    let result: { externalId?: string } | undefined;
    try {
      result = await sender.send(payload.address, payload.message, {
        idempotencyKey: m.idempotencyKey,
        purpose: m.purpose,
        targetKey: m.targetKey,
      });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof SendError && error.disposition === "hold") {
        await markHeld(db, m, reason);
        log.info(
          { outbox: m.id, target: m.targetKey, purpose: m.purpose },
          "outbox message held for check-in",
        );
        this.opts.onResult?.("held");
      } else if (error instanceof SendError && error.disposition === "fail") {
        await markDead(db, m, reason);
        log.error(
          { outbox: m.id, target: m.targetKey, purpose: m.purpose, reason },
          "outbox message dead-lettered",
        );
        this.opts.onResult?.("dead");
      } else {
        await this.failOrRetry(m, reason, maxAttempts);
      }
      return;
    }
    // Outside the send's try: a failed mark is not a failed send (the lapsed claim resends it).
    await this.marks.mark({ id: m.id, attempts: m.attempts, externalId: result?.externalId });
  }

  private async failOrRetry(
    m: { id: string; attempts: number; targetKey: string; purpose: string },
    reason: string,
    max: number,
  ) {
    if (m.attempts >= max) {
      await markDead(this.opts.db, m, reason);
      this.opts.log.error(
        { outbox: m.id, target: m.targetKey, purpose: m.purpose, attempts: m.attempts, reason },
        "outbox message dead-lettered after the last attempt",
      );
      this.opts.onResult?.("dead");
      return;
    }
    const backoff = this.opts.backoffMs ?? ((n: number) => Math.min(300_000, 1000 * 2 ** (n - 1)));
    await markRetry(this.opts.db, m, reason, new Date(Date.now() + backoff(m.attempts)));
    this.opts.log.warn(
      { outbox: m.id, target: m.targetKey, attempts: m.attempts, reason },
      "outbox send failed; will retry",
    );
    this.opts.onResult?.("retry");
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}
