import { randomBytes } from "node:crypto";
import { type ConversationData, conversations, createConversation } from "@grammyjs/conversations";
import { Bot, type Context } from "grammy";
import pino from "pino";
import { type AnyStateMachine, createActor } from "xstate";
import { Engine, type JobScheduler } from "../src/bot/engine.ts";
import type { FlowEvent } from "../src/flows/message.ts";
import { Sealer } from "../src/storage/crypto.ts";
import { type Database, openDatabase } from "../src/storage/database.ts";
import { fmtMs, fmtRatio, nowMs, rssMb, table, trimmedMean, type Verdict } from "./common.ts";
import {
  BENCH_BOT_INFO,
  formConversation,
  formMachine,
  localFetch,
  QUESTIONS,
  stepText,
  textUpdate,
} from "./form.ts";

/**
 * Part 1: per-message cost as a conversation grows. Both implementations of the form are driven in
 * lockstep over many conversations (every conversation does step n before any does step n + 1, ours and
 * the baseline alternating update by update), after a warm-up, and the time of each update is recorded.
 */

const REPORT_STEPS = [1, 20, QUESTIONS] as const;
const FLAT_LIMIT = 1.5;
const SPEEDUP_TARGET = 5;

export interface FlowCostOptions {
  conversations: number;
  warmup: number;
  /** A migrated PGlite data directory to load (the level-ii database). */
  template: Blob;
}

/** One driver of the form: `step(c, n)` sends update n of conversation c and resolves when handled. */
interface Driver {
  name: string;
  step(conversation: number, n: number): Promise<void>;
}

let nextUpdateId = 1_000_000;

/**
 * Runs `drivers` over `conversations` conversations, staggered: in round r conversation c takes step
 * r - c, so every round mixes early and late steps and machine-load drift hits all steps alike. Ours and
 * the baseline alternate update by update. Returns per-driver, per-step timings (ms).
 */
export async function staggered(
  drivers: Driver[],
  conversations: number,
  record: boolean,
): Promise<number[][][]> {
  const times = drivers.map(() => Array.from({ length: QUESTIONS + 1 }, () => [] as number[]));
  for (let round = 0; round < conversations + QUESTIONS; round++) {
    for (let c = 0; c < conversations; c++) {
      const n = round - c;
      if (n < 0 || n > QUESTIONS) continue;
      for (let d = 0; d < drivers.length; d++) {
        const start = nowMs();
        await drivers[d]!.step(c, n);
        const took = nowMs() - start;
        if (record) times[d]![n]!.push(took);
      }
    }
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------
// Level i: flow runtime only.

/** XState: restore from a JSON snapshot, send, getPersistedSnapshot, JSON.stringify. */
function xstateRuntime(machine: AnyStateMachine, base: number): Driver {
  const snapshots = new Map<number, string>();
  return {
    name: "xstate",
    async step(c, n) {
      const chatId = base + c;
      const prior = snapshots.get(chatId);
      const actor = prior
        ? createActor(machine, { snapshot: JSON.parse(prior) })
        : createActor(machine, { input: {} });
      const outputs: unknown[] = [];
      actor.on("*", (e) => outputs.push(e));
      actor.subscribe({ error: () => {} });
      actor.start();
      actor.send(userEvent(n, chatId));
      const json = JSON.stringify(actor.getPersistedSnapshot());
      actor.stop();
      snapshots.set(chatId, json);
      if (outputs.length !== 1) throw new Error(`xstate form: ${outputs.length} outputs at step ${n}`);
    },
  };
}

function userEvent(n: number, chatId: number): FlowEvent {
  return n === 0
    ? { type: "user.message", message: { type: "command", command: "start" } }
    : { type: "user.message", message: { type: "text", text: stepText(n, chatId) } };
}

type Storage = { read(key: string): Promise<unknown>; write(key: string, v: unknown): Promise<void> };

/** The conversations bot: `/start` enters the form; `handleUpdate` with a local, network-free client. */
export function conversationsBot(storage?: Storage & { delete(key: string): Promise<void> }): {
  bot: Bot;
  replies: () => number;
} {
  let replies = 0;
  const bot = new Bot(`${BENCH_BOT_INFO.id}:bench-token-bench-token-bench`, {
    botInfo: BENCH_BOT_INFO,
    client: {
      fetch: (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        replies++;
        return localFetch(input, init);
      }) as never,
    },
  });
  const plugin = storage
    ? conversations<Context, Context>({
        storage: {
          read: (key) => storage.read(key) as never,
          write: (key, value) => storage.write(key, value),
          delete: (key) => storage.delete(key),
        },
      })
    : conversations<Context, Context>();
  const composer = bot as unknown as Bot<Context & { conversation: { enter(id: string): Promise<void> } }>;
  composer.use(plugin as never);
  composer.use(createConversation(formConversation, "form") as never);
  composer.command("start", (ctx) => ctx.conversation.enter("form"));
  bot.catch((err) => {
    throw err.error;
  });
  return { bot, replies: () => replies };
}

export function conversationsDriver(bot: Bot, base: number): Driver {
  return {
    name: "conversations",
    async step(c, n) {
      const chatId = base + c;
      await bot.handleUpdate(textUpdate(nextUpdateId++, chatId, stepText(n, chatId)));
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Level ii: full path with persistence on one in-memory PGlite.

const noJobs: JobScheduler = {
  scheduleInTx: () => Promise.reject(new Error("the bench form schedules no timers")),
  cancelInTx: () => Promise.reject(new Error("the bench form schedules no timers")),
};

export function engineDriver(db: Database, machine: AnyStateMachine, base: number): Driver {
  const engine = new Engine({
    db,
    sealer: new Sealer([randomBytes(32)]),
    flow: { id: "bench-form", version: 1, machine },
    jobs: noJobs,
    effects: {},
    log: pino({ level: "silent" }),
    channels: { telegram: { numbersChoices: () => false } },
    conversationTtlMs: 3_600_000,
  });
  return {
    name: "engine",
    async step(c, n) {
      const chatId = base + c;
      const outcome = await engine.handle({
        conversationKey: `bench:${chatId}`,
        channel: "telegram",
        externalId: String(nextUpdateId++),
        address: { chatId },
        event: userEvent(n, chatId),
      });
      if (outcome !== "applied") throw new Error(`engine: ${outcome} at step ${n}`);
    },
  };
}

/** The baseline's storage: one read and one upsert (or delete) per update, raw SQL on the same PGlite. */
export async function pgliteStorage(db: Database): Promise<Storage & { delete(key: string): Promise<void> }> {
  const pg = db.pglite!;
  await pg.exec("CREATE TABLE IF NOT EXISTS bench_conversation (key text PRIMARY KEY, state text NOT NULL)");
  return {
    async read(key) {
      const r = await pg.query<{ state: string }>("SELECT state FROM bench_conversation WHERE key = $1", [
        key,
      ]);
      return r.rows[0] ? JSON.parse(r.rows[0].state) : undefined;
    },
    async write(key, value) {
      await pg.query(
        "INSERT INTO bench_conversation (key, state) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state",
        [key, JSON.stringify(value)],
      );
    },
    async delete(key) {
      await pg.query("DELETE FROM bench_conversation WHERE key = $1", [key]);
    },
  };
}

// ---------------------------------------------------------------------------------------------------

export interface LevelResult {
  /** per step (index = step) trimmed-mean ms, ours and baseline */
  ours: number[];
  base: number[];
}

function summarise(times: number[][][]): LevelResult {
  return { ours: times[0]!.map((s) => trimmedMean(s)), base: times[1]!.map((s) => trimmedMean(s)) };
}

function levelTable(title: string, r: LevelResult, oursName: string, baseName: string): string {
  const rows = REPORT_STEPS.map((n) => [
    `step ${n}`,
    fmtMs(r.ours[n]!),
    fmtMs(r.base[n]!),
    fmtRatio(r.base[n]! / r.ours[n]!),
  ]);
  return `${title}\n${table(["", `${oursName} ms`, `${baseName} ms`, "baseline/ours"], rows)}`;
}

/** Per-update cost (trimmed mean, ms) at the reported steps: ours and the `@grammyjs/conversations` baseline. */
export interface StepCosts {
  steps: number[];
  oursMs: number[];
  conversationsMs: number[];
}

/** Part 1's step costs: the flow runtime alone and the full path. */
export interface FlowStepCosts {
  runtime?: StepCosts;
  fullPath?: StepCosts;
}

function stepCosts(r: LevelResult): StepCosts {
  const ms = (xs: number[]) => REPORT_STEPS.map((n) => Number(xs[n]!.toFixed(3)));
  return { steps: [...REPORT_STEPS], oursMs: ms(r.ours), conversationsMs: ms(r.base) };
}

export async function runFlowCost(opts: FlowCostOptions): Promise<{
  lines: string[];
  verdicts: Verdict[];
  stepCosts: FlowStepCosts;
}> {
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const costs: FlowStepCosts = {};
  const machine = formMachine();
  const rss0 = rssMb();

  // Level i.
  {
    const { bot } = conversationsBot();
    await staggered([xstateRuntime(machine, 10_000), conversationsDriver(bot, 10_000)], opts.warmup, false);
    const times = await staggered(
      [xstateRuntime(machine, 20_000), conversationsDriver(bot, 20_000)],
      opts.conversations,
      true,
    );
    const r = summarise(times);
    costs.runtime = stepCosts(r);
    lines.push(
      levelTable(
        "(i) flow runtime only: XState restore+send+persist+stringify vs conversations replay (memory storage)",
        r,
        "xstate",
        "conversations",
      ),
    );
    const flat = r.ours[QUESTIONS]! / r.ours[1]!;
    const speedup = r.base[QUESTIONS]! / r.ours[QUESTIONS]!;
    lines.push(
      `  ours step${QUESTIONS}/step1 = ${fmtRatio(flat)} (flat if ≤ ${FLAT_LIMIT}); baseline step${QUESTIONS}/step1 = ${fmtRatio(r.base[QUESTIONS]! / r.base[1]!)}`,
    );
    verdicts.push({
      name: "flow cost flat (runtime, step 40 / step 1)",
      ok: flat <= FLAT_LIMIT,
      detail: `${fmtRatio(flat)} (target ≤ ${FLAT_LIMIT})`,
    });
    verdicts.push({
      name: "step 40 vs @grammyjs/conversations (runtime)",
      ok: speedup >= SPEEDUP_TARGET,
      detail: `${fmtRatio(speedup)} cheaper (target ≥ ${SPEEDUP_TARGET}×)`,
    });
  }
  const rss1 = rssMb();

  // Level ii.
  const db = await openDatabase({ kind: "pglite", dir: null, loadDataDir: opts.template });
  try {
    const storage = await pgliteStorage(db);
    const { bot } = conversationsBot(storage);
    await staggered(
      [engineDriver(db, machine, 30_000), conversationsDriver(bot, 30_000)],
      opts.warmup,
      false,
    );
    const times = await staggered(
      [engineDriver(db, machine, 40_000), conversationsDriver(bot, 40_000)],
      opts.conversations,
      true,
    );
    const r = summarise(times);
    costs.fullPath = stepCosts(r);
    lines.push(
      levelTable(
        "(ii) full path on one in-memory PGlite: Engine.handle (tx, snapshot, outbox) vs conversations + read/upsert",
        r,
        "engine",
        "conversations",
      ),
    );
    const flat = r.ours[QUESTIONS]! / r.ours[1]!;
    const speedup = r.base[QUESTIONS]! / r.ours[QUESTIONS]!;
    lines.push(
      `  ours step${QUESTIONS}/step1 = ${fmtRatio(flat)}; baseline step${QUESTIONS}/step1 = ${fmtRatio(r.base[QUESTIONS]! / r.base[1]!)}; ` +
        `step ${QUESTIONS}: ${fmtRatio(speedup)} cheaper (information; ${speedup >= SPEEDUP_TARGET ? "also reaches" : "below"} the 5× target)`,
    );
    verdicts.push({
      name: "flow cost flat (full path, step 40 / step 1)",
      ok: flat <= FLAT_LIMIT,
      detail: `${fmtRatio(flat)} (target ≤ ${FLAT_LIMIT})`,
    });
  } finally {
    await db.close();
  }
  const rss2 = rssMb();
  lines.push(
    `  memory: RSS ${rss0.toFixed(0)} MB before, ${rss1.toFixed(0)} MB after level i, ${rss2.toFixed(0)} MB after level ii`,
  );
  return { lines, verdicts, stepCosts: costs };
}

export type { ConversationData };
