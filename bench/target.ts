import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { type ServerType, serve } from "@hono/node-server";
import { Bot, webhookCallback } from "grammy";
import { Hono } from "hono";
import pg from "pg";
import pino from "pino";
import { createLogger } from "../src/bot/logger.ts";
import type { ChannelFactory } from "../src/bot/service.ts";
import { loadConfig } from "../src/config.ts";
import { type Database, openDatabase } from "../src/storage/database.ts";
import { applyMigrations } from "../src/storage/migrate.ts";
import { rssMb, sleep } from "./common.ts";
import { BENCH_BOT_INFO } from "./form.ts";
import {
  BENCH_SECRET,
  BENCH_TOKEN,
  type FromChild,
  TELEGRAM_CHANNEL_MODULE,
  type ToChild,
  WEBHOOK_PATH,
} from "./protocol.ts";

/**
 * A webhook target for part 2, run as a child process of bench/run.ts (so the load generator does not
 * share its event loop): `ours` is the real service (`startService` + the Telegram channel), `base` a bare
 * grammY bot that upserts one row per message and replies. Both listen on 127.0.0.1 only and talk to the
 * parent over IPC: ready → (drain → drained) → stop → stopped.
 *
 * argv: <ours|base> <apiRoot> <pglite-template-file | postgresql://…>
 */

interface Target {
  port: number;
  drain(): Promise<{ ms: number; statuses: Record<string, number> }>;
  stop(): Promise<void>;
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

async function openTarget(db: string): Promise<Database> {
  if (db.startsWith("postgres")) {
    const opened = await openDatabase({ kind: "postgres", url: db });
    await applyMigrations(opened.adapterFactory);
    return opened;
  }
  const bytes = await readFile(db);
  return openDatabase({ kind: "pglite", dir: null, loadDataDir: new Blob([bytes]) });
}

/** The real service with the real Telegram channel, served on loopback. */
async function startOurs(apiRoot: string, dbSpec: string): Promise<Target> {
  const { startService } = await import("../src/bot/service.ts");
  const channelModule = (await import(TELEGRAM_CHANNEL_MODULE)) as {
    telegramChannel(opts: { botInfo?: typeof BENCH_BOT_INFO }): ChannelFactory;
  };
  const db = await openTarget(dbSpec);
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
    channels: [channelModule.telegramChannel({ botInfo: BENCH_BOT_INFO })],
    // The service binds 0.0.0.0 when it listens itself; the bench serves the same app on loopback only.
    listen: false,
  });
  const { server, port } = await listen(svc.app.fetch);
  return {
    port,
    async drain() {
      const start = Date.now();
      const open = () => db.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } });
      while ((await open()) > 0) {
        if (Date.now() - start > 120_000) break;
        await sleep(20);
      }
      const ms = Date.now() - start;
      const groups = await db.prisma.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
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
  if (dbSpec.startsWith("postgres")) {
    const pool = new pg.Pool({ connectionString: dbSpec, max: 8 });
    await pool.query(sql);
    query = (text, values) => pool.query(text, values);
    close = () => pool.end();
  } else {
    const bytes = await readFile(dbSpec);
    const pglite = await PGlite.create({ loadDataDir: new Blob([bytes]) });
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
    async drain() {
      return { ms: 0, statuses: {} };
    },
    async stop() {
      await closeServer(server);
      await close();
    },
  };
}

async function main(): Promise<void> {
  const [kind, apiRoot, dbSpec] = process.argv.slice(2);
  if (!kind || !apiRoot || !dbSpec) throw new Error("usage: target.ts <ours|base> <apiRoot> <db>");
  // Never outlive the bench.
  process.on("disconnect", () => process.exit(3));
  const target = kind === "ours" ? await startOurs(apiRoot, dbSpec) : await startBase(apiRoot, dbSpec);
  send({ type: "ready", port: target.port, rss: rssMb() });
  process.on("message", (message: ToChild) => {
    const run = async () => {
      if (message.type === "drain") {
        send({ type: "drained", ...(await target.drain()) });
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
