import { randomBytes } from "node:crypto";
import pino from "pino";
import type { AnyStateMachine } from "xstate";
import { type ChannelSender, Dispatcher } from "../../src/bot/dispatcher.ts";
import {
  type CaseEffects,
  type EffectHandlers,
  Engine,
  type FlowDefinition,
  type OutboxPayload,
  TIMER_QUEUE,
} from "../../src/bot/engine.ts";
import { caseEffectHandlers } from "../../src/bot/engine-effects.ts";
import { timerInbound } from "../../src/bot/engine-timers.ts";
import { JobQueue } from "../../src/bot/jobs.ts";
import { choicesOf, type OutboundMessage, textOf } from "../../src/flows/message.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import type { Database } from "../../src/storage/database.ts";

/** A channel sender that records what it was asked to send. */
export class RecordingSender implements ChannelSender {
  readonly sent: { address: unknown; message: OutboundMessage; idempotencyKey: string }[] = [];
  failures = 0;
  async send(address: unknown, message: OutboundMessage, meta: { idempotencyKey: string }) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("simulated network failure");
    }
    this.sent.push({ address, message, idempotencyKey: meta.idempotencyKey });
    return { externalId: `ext-${this.sent.length}` };
  }
  texts(): string[] {
    return this.sent.map((s) => textOf(s.message) ?? "<end>");
  }
}

/** Case effects that answer without storage, for engine-only tests. */
export const noCases: CaseEffects = {
  async submitReport() {
    return { type: "report.stored", code: "TPPO-TEST-TEST", pin: "000000" };
  },
  async lookupStatus() {
    return { type: "status.result", result: { ok: false } };
  },
  async appendCase() {
    return { type: "case.appended", ok: true };
  },
};

export interface TestEngine {
  engine: Engine;
  dispatcher: Dispatcher;
  sender: RecordingSender;
  jobs: JobQueue;
  sealer: Sealer;
  stop(): Promise<void>;
}

/** The real engine, dispatcher and job queue over `db`, with a recording console sender. */
export async function createTestEngine(
  db: Database,
  machine: AnyStateMachine,
  opts: {
    version?: number;
    cases?: CaseEffects;
    effects?: EffectHandlers;
    sealer?: Sealer;
    /** The flow to run instead of `machine` under the id "echo". */
    flow?: FlowDefinition;
  } = {},
): Promise<TestEngine> {
  const log = pino({ level: "silent" });
  const sealer = opts.sealer ?? new Sealer([randomBytes(32)]);
  const jobs = new JobQueue({ db, log, pollingIntervalSeconds: 0.5 });
  await jobs.start();
  await jobs.ensureQueue(TIMER_QUEUE);
  const sender = new RecordingSender();
  const dispatcher = new Dispatcher({
    db,
    sealer,
    log,
    senders: { console: sender, short: sender },
    pollMs: 100,
    backoffMs: () => 50,
  });
  const engine = new Engine({
    db,
    sealer,
    jobs,
    log,
    flow: opts.flow ?? { id: "echo", version: opts.version ?? 1, machine },
    effects: { ...caseEffectHandlers(opts.cases ?? noCases), ...opts.effects },
    channels: {
      console: { numbersChoices: (m) => (choicesOf(m)?.length ?? 0) > 10 },
      // A channel that can only carry short button payloads: "#<n>" stands for the n-th offered option.
      short: {
        numbersChoices: () => false,
        resolveChoice: (id, offered) => (/^#\d+$/.test(id) ? (offered[Number(id.slice(1)) - 1] ?? id) : id),
      },
    },
    conversationTtlMs: 3_600_000,
    onOutbox: () => dispatcher.kick(),
  });
  await jobs.work(TIMER_QUEUE, async (data, jobId) => {
    await engine.handle(timerInbound(data, jobId));
  });
  dispatcher.start();
  return {
    engine,
    dispatcher,
    sender,
    jobs,
    sealer,
    async stop() {
      await dispatcher.stop();
      await jobs.stop();
      await engine.drain();
    },
  };
}

/** Waits until `check` passes or `timeoutMs` elapses. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type { OutboxPayload };
