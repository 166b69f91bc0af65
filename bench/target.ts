import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type ServerType, serve } from "@hono/node-server";
import { Bot, webhookCallback } from "grammy";
import { Hono } from "hono";
import pg from "pg";
import pino from "pino";
import type * as TelegramChannel from "../src/bot/channels/telegram/telegram-channel.ts";
import type * as Logger from "../src/bot/logger.ts";
import type * as Service from "../src/bot/service.ts";
import type * as Config from "../src/config.ts";
import type * as DatabaseModule from "../src/storage/database.ts";
import type * as PrismaAccess from "../src/storage/prisma-access.ts";
import { memoryBreakdown, rssMb, sleep } from "./common.ts";
import { BENCH_BOT_INFO } from "./form.ts";
import {
  BENCH_SECRET,
  BENCH_TOKEN,
  type FromChild,
  SEEDED_CONVERSATIONS,
  type ToChild,
  WEBHOOK_PATH,
} from "./protocol.ts";

/**
 * A webhook target for part 2, run as a child process of bench/run.ts (so the load generator does not
 * share its event loop): `ours` is the real service (`startService` + the Telegram channel), `base` a bare
 * grammY bot that upserts one row per message and replies, `durable` a bare grammY bot doing exactly our
 * durable work with the raw driver (one transaction: receipt insert, locked state upsert, outbox insert;
 * then the separate claim, send and mark) — the limit of the design on that database. Both listen on 127.0.0.1 only and talk to the
 * parent over IPC: ready → (drain → drained) → stop → stopped.
 *
 * argv: <ours|base|durable> <apiRoot> <pglite-template-file | postgresql://…>
 */

interface Target {
  port: number;
  /** The embedded database, when on PGlite (its WebAssembly memory is reported apart). */
  pglite?: PGlite | undefined;
  drain(): Promise<{ ms: number; statuses: Record<string, number> }>;
  stop(): Promise<void>;
}

/**
 * A data folder for the embedded database, filled from the migrated template: the targets run PGlite on
 * a folder, as `npm start` does, not in memory. Removed when the target exits.
 */
async function pgliteFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "suara-bench-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function send(message: FromChild): void {
  process.send?.(message);
}

function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ server, port: info.port }),
    );
    server.once("error", reject);
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

/** A compiled module of the service (dist/, built by the bench first), as `npm start` runs it. */
async function compiled<T>(path: string): Promise<T> {
  return (await import(new URL(`../dist/${path}.js`, import.meta.url).href)) as T;
}

/**
 * The real service with the real Telegram channel, served on loopback: its compiled JavaScript, not
 * the TypeScript sources, so its memory and speed are those of `npm start`.
 */
async function startOurs(apiRoot: string, dbSpec: string): Promise<Target> {
  const { startService } = await compiled<typeof Service>("bot/service");
  const { telegramChannel } = await compiled<typeof TelegramChannel>(
    "bot/channels/telegram/telegram-channel",
  );
  const { openDatabase } = await compiled<typeof DatabaseModule>("storage/database");
  const { loadConfig } = await compiled<typeof Config>("config");
  const { createLogger } = await compiled<typeof Logger>("bot/logger");
  const { prismaOf } = await compiled<typeof PrismaAccess>("storage/prisma-access");
  const db = dbSpec.startsWith("postgres")
    ? // Migrated by the bench beforehand, like an existing deployment's database.
      await openDatabase({ kind: "postgres", url: dbSpec })
    : await openDatabase({
        kind: "pglite",
        dir: await pgliteFolder(),
        loadDataDir: new Blob([await readFile(dbSpec)]),
      });
  const config = loadConfig({
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    PORT: "0",
    TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: apiRoot,
  });
  const svc = await startService({
    config,
    log: createLogger(config.LOG_LEVEL, pino.destination(2)),
    keys: { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) },
    db,
    channels: [telegramChannel({ botInfo: BENCH_BOT_INFO })],
    // The service binds 0.0.0.0 when it listens itself; the bench serves the same app on loopback only.
    listen: false,
  });
  // 10,000 stored conversations (sealed-size snapshots and addresses) besides the ones the load makes.
  await prismaOf(db).$executeRawUnsafe(
    `INSERT INTO conversation (key, channel, flow_id, flow_version, snapshot_sealed, address_sealed, lang,
       channel_state, version, updated_at, expires_at)
     SELECT 'seed-' || g, 'telegram', 'main', 1, decode(repeat(md5(g::text), 64), 'hex'),
       decode(md5(g::text), 'hex'), 'id', '{}'::jsonb, 3, now(), now() + interval '30 days'
     FROM generate_series(1, ${SEEDED_CONVERSATIONS}) g`,
  );
  const { server, port } = await listen(svc.app.fetch);
  return {
    port,
    pglite: db.pglite,
    async drain() {
      const start = Date.now();
      const open = () =>
        prismaOf(db).outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });
      while ((await open()) > 0) {
        if (Date.now() - start > 120_000) break;
        await sleep(20);
      }
      const ms = Date.now() - start;
      const groups = await prismaOf(db).outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
      return { ms, statuses: Object.fromEntries(groups.map((g) => [g.status, g._count._all])) };
    },
    async stop() {
      await closeServer(server);
      await svc.close();
      await db.close();
    },
  };
}

/** A bare grammY webhook bot: one upsert per message, then a reply through the (fake) Bot API. */
async function startBase(apiRoot: string, dbSpec: string): Promise<Target> {
  const sql =
    "CREATE TABLE IF NOT EXISTS bench_chat (chat_id bigint PRIMARY KEY, messages int NOT NULL, last_text text, updated_at timestamptz NOT NULL)";
  const upsert =
    "INSERT INTO bench_chat (chat_id, messages, last_text, updated_at) VALUES ($1, 1, $2, now()) " +
    "ON CONFLICT (chat_id) DO UPDATE SET messages = bench_chat.messages + 1, last_text = EXCLUDED.last_text, updated_at = now()";
  let query: (text: string, values: unknown[]) => Promise<unknown>;
  let close: () => Promise<void>;
  let embedded: PGlite | undefined;
  if (dbSpec.startsWith("postgres")) {
    const pool = new pg.Pool({ connectionString: dbSpec, max: 8 });
    await pool.query(sql);
    query = (text, values) => pool.query(text, values);
    close = () => pool.end();
  } else {
    const bytes = await readFile(dbSpec);
    const pglite = await PGlite.create({ dataDir: await pgliteFolder(), loadDataDir: new Blob([bytes]) });
    embedded = pglite;
    await pglite.exec(sql);
    query = (text, values) => pglite.query(text, values);
    close = () => pglite.close();
  }
  const bot = new Bot(BENCH_TOKEN, { botInfo: BENCH_BOT_INFO, client: { apiRoot } });
  bot.on("message", async (ctx) => {
    await query(upsert, [ctx.chat.id, ctx.message.text ?? null]);
    await ctx.reply("Halo! Pesan Anda sudah kami terima.");
  });
  const app = new Hono();
  app.post(WEBHOOK_PATH, webhookCallback(bot, "hono", { secretToken: BENCH_SECRET }));
  const { server, port } = await listen(app.fetch);
  return {
    port,
    pglite: embedded,
    async drain() {
      return { ms: 0, statuses: {} };
    },
    async stop() {
      await closeServer(server);
      await close();
    },
  };
}

/** One database connection for a transaction or a statement: node-postgres or PGlite. */
type Run = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const DURABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS bench_receipt (update_id bigint PRIMARY KEY, chat_id bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS bench_state (chat_id bigint PRIMARY KEY, messages int NOT NULL, state jsonb NOT NULL,
    version int NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL);
  CREATE TABLE IF NOT EXISTS bench_outbox (id bigserial PRIMARY KEY, chat_id bigint NOT NULL, text text NOT NULL,
    status text NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0, locked_until timestamptz,
    sent_at timestamptz);
  CREATE INDEX IF NOT EXISTS bench_outbox_status ON bench_outbox (status);`;

/** The durable-limit baseline: our durable work per message with the raw driver, nothing else. */
async function startDurable(apiRoot: string, dbSpec: string): Promise<Target> {
  let transaction: <T>(fn: (run: Run) => Promise<T>) => Promise<T>;
  let query: Run;
  let close: () => Promise<void>;
  let embedded: PGlite | undefined;
  if (dbSpec.startsWith("postgres")) {
    const pool = new pg.Pool({ connectionString: dbSpec, max: 8 });
    await pool.query(DURABLE_SCHEMA);
    query = (text, values) => pool.query(text, values);
    transaction = async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn((text, values) => client.query(text, values));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    };
    close = () => pool.end();
  } else {
    const bytes = await readFile(dbSpec);
    const pglite = await PGlite.create({ dataDir: await pgliteFolder(), loadDataDir: new Blob([bytes]) });
    embedded = pglite;
    await pglite.exec(DURABLE_SCHEMA);
    query = (text, values) => pglite.query(text, values);
    transaction = (fn) => pglite.transaction((tx) => fn((text, values) => tx.query(text, values)));
    close = () => pglite.close();
  }
  const bot = new Bot(BENCH_TOKEN, { botInfo: BENCH_BOT_INFO, client: { apiRoot } });
  const deliver = async (id: unknown) => {
    const claimed = await query(
      `UPDATE bench_outbox SET status = 'sending', attempts = attempts + 1, locked_until = now() + interval '6 s'
       WHERE id = $1 AND status = 'pending' RETURNING chat_id, text`,
      [id],
    );
    const row = claimed.rows[0];
    if (!row) return;
    await bot.api.sendMessage(Number(row.chat_id), String(row.text));
    await query(
      "UPDATE bench_outbox SET status = 'sent', sent_at = now(), locked_until = NULL WHERE id = $1",
      [id],
    );
  };
  bot.on("message", async (ctx) => {
    const id = await transaction(async (run) => {
      const receipt = await run(
        "INSERT INTO bench_receipt (update_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
        [ctx.update.update_id, ctx.chat.id],
      );
      if (receipt.rows.length === 0) return undefined;
      await run(
        `INSERT INTO bench_state (chat_id, messages, state, updated_at) VALUES ($1, 1, $2::jsonb, now())
         ON CONFLICT (chat_id) DO UPDATE SET messages = bench_state.messages + 1, state = EXCLUDED.state,
           version = bench_state.version + 1, updated_at = now()
         RETURNING version`,
        [ctx.chat.id, JSON.stringify({ last: ctx.message.text ?? null })],
      );
      const outbox = await run("INSERT INTO bench_outbox (chat_id, text) VALUES ($1, $2) RETURNING id", [
        ctx.chat.id,
        "Halo! Pesan Anda sudah kami terima.",
      ]);
      return outbox.rows[0]!.id;
    });
    // Sent after the commit, like the service's outbox dispatcher (the webhook does not wait).
    if (id !== undefined) void deliver(id).catch(() => {});
  });
  const app = new Hono();
  app.post(WEBHOOK_PATH, webhookCallback(bot, "hono", { secretToken: BENCH_SECRET }));
  const { server, port } = await listen(app.fetch);
  return {
    port,
    pglite: embedded,
    async drain() {
      const start = Date.now();
      const open = async () =>
        Number((await query("SELECT count(*) AS n FROM bench_outbox WHERE status <> 'sent'")).rows[0]!.n);
      while ((await open()) > 0 && Date.now() - start < 120_000) await sleep(20);
      const groups = await query("SELECT status, count(*) AS n FROM bench_outbox GROUP BY status");
      return {
        ms: Date.now() - start,
        statuses: Object.fromEntries(groups.rows.map((g) => [String(g.status), Number(g.n)])),
      };
    },
    async stop() {
      await closeServer(server);
      await close();
    },
  };
}

/** The size of PGlite's WebAssembly memory (it grows and never shrinks); not part of PGlite's API. */
function wasmBytes(pglite: PGlite | undefined): number | undefined {
  return (pglite as unknown as { mod?: { HEAPU8?: Uint8Array } } | undefined)?.mod?.HEAPU8?.buffer.byteLength;
}

/**
 * BENCH_ALLOCATIONS=<folder>: from ready to the first drain (the warm-up), V8's sampling heap profiler
 * records every allocation, also those the garbage collector has freed since, and writes
 * `<kind>-<pid>.heapprofile` there (open it in Chrome's DevTools, Memory tab): what makes the garbage.
 */
async function sampleAllocations(kind: string): Promise<(() => Promise<void>) | undefined> {
  const folder = process.env.BENCH_ALLOCATIONS;
  if (!folder) return undefined;
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.startSampling", {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  let written = false;
  return async () => {
    if (written) return;
    written = true;
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: unknown };
    session.disconnect();
    await writeFile(join(folder, `${kind}-${process.pid}.heapprofile`), JSON.stringify(profile));
  };
}

async function main(): Promise<void> {
  const [kind, apiRoot, dbSpec] = process.argv.slice(2);
  if (!kind || !apiRoot || !dbSpec) throw new Error("usage: target.ts <ours|base|durable> <apiRoot> <db>");
  // Never outlive the bench.
  process.on("disconnect", () => process.exit(3));
  const target =
    kind === "ours"
      ? await startOurs(apiRoot, dbSpec)
      : kind === "durable"
        ? await startDurable(apiRoot, dbSpec)
        : await startBase(apiRoot, dbSpec);
  const allocations = await sampleAllocations(kind);
  send({ type: "ready", port: target.port, rss: rssMb() });
  // The highest RSS since the last drain: what the load itself took, before any collection.
  let rssPeak = rssMb();
  setInterval(() => {
    rssPeak = Math.max(rssPeak, rssMb());
  }, 100).unref();
  process.on("message", (message: ToChild) => {
    const run = async () => {
      if (message.type === "drain") {
        const drained = await target.drain();
        const peak = Math.max(rssPeak, rssMb());
        await allocations?.();
        // After load: settle, collect garbage when exposed (--expose-gc), then measure.
        await sleep(1000);
        (globalThis as { gc?: () => void }).gc?.();
        const memory = memoryBreakdown(wasmBytes(target.pglite));
        send({ type: "drained", ...drained, rss: memory.rss, rssPeak: peak, memory });
        rssPeak = rssMb();
      } else if (message.type === "stop") {
        await target.stop();
        send({ type: "stopped", rss: rssMb() });
        process.disconnect();
        process.exit(0);
      }
    };
    run().catch((error: Error) => {
      send({ type: "failed", error: error.stack ?? error.message });
      process.exit(2);
    });
  });
}

main().catch((error: Error) => {
  send({ type: "failed", error: error.stack ?? error.message });
  process.exit(2);
});
