import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  databaseKinds,
  openTestDatabase,
  postgresMissingInCi,
  type TestDatabase,
} from "../helpers/databases.ts";
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from "../helpers/fake-telegram.ts";
import { WebhookChat, walkCriticalReport } from "../helpers/report-walk.ts";
import { TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "../helpers/telegram-service.ts";

/**
 * Crash soak on PostgreSQL: scripted reporters walk whole critical reports over the Telegram webhook
 * while the real service (a child process) is killed with SIGKILL at random points and restarted.
 * Every update a reporter sends is repeated until the service answers 200, as Telegram does.
 */

const ROOT = join(import.meta.dirname, "../..");
const MAIN = join(ROOT, "src/main.ts");
const CONTACTS = join(ROOT, "test/fixtures/contacts/crash-soak.yaml");
const TIER1_CHAT = 910000001;
const REPORTERS = 20;
const KILLS = 20;
/** Longest wait for a due reply, counted from the webhook's answer or from the service being back. */
const MAX_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (d: unknown) => {
    out = (out + String(d)).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { process: child, output: () => out, exited };
}

async function waitReady(port: number, child: Child, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`service exited: ${child.output()}`);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`not ready in time: ${child.output()}`);
    await sleep(50);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Messages sent again to the same chat with the same text and buttons (at-least-once sends). */
function duplicates(calls: RecordedCall[]): number {
  const seen = new Set<string>();
  let repeated = 0;
  for (const c of calls) {
    const id = JSON.stringify([c.payload.chat_id, c.payload.text, c.payload.reply_markup ?? null]);
    if (seen.has(id)) repeated++;
    seen.add(id);
  }
  return repeated;
}

describe("crash soak", () => {
  it("runs in CI, where TEST_DATABASE_URL points at PostgreSQL", () => {
    expect(postgresMissingInCi(), "CI=true but TEST_DATABASE_URL is not set").toBe(false);
  });
});

describe.each(databaseKinds().filter((k) => k === "postgres"))("crash soak on %s", (kind) => {
  let fake: FakeTelegram;
  let db: TestDatabase;
  let env: Record<string, string>;
  let port: number;
  let child: Child | undefined;

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    db = await openTestDatabase(kind);
    await db.close();
    port = await freePort();
    env = {
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      PORT: String(port),
      DATABASE_URL: db.copyUrl!,
      DATA_KEY: randomBytes(32).toString("base64"),
      PSEUDONYM_KEY: randomBytes(32).toString("base64"),
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_MODE: "webhook",
      TELEGRAM_API_ROOT: fake.apiRoot,
      CONTACTS_FILE: CONTACTS,
      // Scripted reporters tap far faster than people and repeat every update until it is accepted;
      // the per-sender limits have their own tests (telegram-limits, report-burst).
      LIMIT_MESSAGES_PER_MINUTE: "100000",
    };
  });

  afterAll(async () => {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
    await fake?.close();
    await db?.destroy();
  });

  it(`${REPORTERS} reporters walk whole reports through ${KILLS} SIGKILLs: every report stored once, escalated to tier 1, every reply sent in time`, async () => {
    const backAt: number[] = [];
    const killedAt: number[] = [];
    child = startChild(env);
    await waitReady(port, child);
    backAt.push(Date.now());

    let killing = true;
    const killer = (async () => {
      for (let i = 0; i < KILLS; i++) {
        await sleep(1000 + Math.random() * 3000);
        child!.process.kill("SIGKILL");
        await child!.exited;
        killedAt.push(Date.now());
        child = startChild(env);
        await waitReady(port, child);
        backAt.push(Date.now());
      }
      killing = false;
    })();

    const target = { url: `http://127.0.0.1:${port}/telegram/webhook`, secret: TEST_WEBHOOK_SECRET };
    const chats: WebhookChat[] = [];
    const codes: string[] = [];
    let nextChat = 300_000_000;
    const reporter = async () => {
      // Walk reports, each from a new chat, until the last kill; then finish the walk in progress.
      do {
        const chat = new WebhookChat(nextChat++, fake, target, 60_000, 200);
        chats.push(chat);
        codes.push((await walkCriticalReport(chat)).code);
      } while (killing);
    };
    await Promise.all([killer, ...Array.from({ length: REPORTERS }, reporter)]);

    // Every submitted report is stored exactly once.
    const client = new pg.Client({ connectionString: db.copyUrl! });
    await client.connect();
    try {
      const stored = (
        await client.query<{ code: string; n: number }>(
          "SELECT code, count(*)::int AS n FROM report GROUP BY code",
        )
      ).rows;
      expect(stored.length).toBe(codes.length);
      expect(new Set(stored.map((r) => r.code))).toEqual(new Set(codes));
      expect(stored.every((r) => r.n === 1)).toBe(true);

      // Every critical escalation reaches tier 1.
      for (const code of codes) {
        await fake.waitFor(
          (c) =>
            c.method === "sendMessage" &&
            c.payload.chat_id === TIER1_CHAT &&
            String(c.payload.text).includes(`LAPORAN TPPO KRITIS: ${code}`),
          30_000,
        );
      }

      // No reply is lost: the outbox drains completely.
      const open = async () =>
        (
          await client.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM outbox_message WHERE status <> 'sent'",
          )
        ).rows[0]!.n;
      for (let i = 0; i < 300 && (await open()) > 0; i++) await sleep(100);
      expect(await open()).toBe(0);
    } finally {
      await client.end();
    }

    // No one waits longer than MAX_WAIT_MS for a due reply once the service is back.
    const waits = chats.flatMap((chat) =>
      chat.answers.map(({ ackedAt, answeredAt }) => {
        const back = Math.max(ackedAt, ...backAt.filter((t) => t <= answeredAt));
        return answeredAt - back;
      }),
    );
    const sent = fake.callsTo("sendMessage");
    const summary = {
      kills: killedAt.length,
      reports: codes.length,
      replies: waits.length,
      medianWaitMs: [...waits].sort((a, b) => a - b)[Math.floor(waits.length / 2)],
      longestWaitMs: Math.max(...waits),
      repeatedSends: duplicates(sent),
      messagesSent: sent.length,
    };
    console.info(`crash soak (${kind}): ${JSON.stringify(summary)}`);
    expect(killedAt.length).toBe(KILLS);
    expect(summary.longestWaitMs).toBeLessThanOrEqual(MAX_WAIT_MS);
  }, 420_000);
});
