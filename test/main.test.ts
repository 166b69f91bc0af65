import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "./helpers/databases.ts";
import { startFakeGraph } from "./helpers/fake-graph.ts";
import { startFakeTelegram } from "./helpers/fake-telegram.ts";
import { messageDelivery, PHONE_NUMBER_ID } from "./helpers/whatsapp-service.ts";

const ROOT = join(import.meta.dirname, "..");
const MAIN = join(ROOT, "src/main.ts");
const START = join(ROOT, "scripts/start.mjs");

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>, args = ["--import", "tsx", MAIN]): Run {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitReady(port: number, run: Run, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (run.child.exitCode !== null) throw new Error(`service exited: ${run.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`not ready in time: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * One typed message through the web chat of a running service, and the replies it got: the whole
 * path (engine, database, outbox, dispatcher) in the process under test.
 */
async function chat(port: number, text: string): Promise<string[]> {
  const base = `http://127.0.0.1:${port}`;
  const { session } = (await (await fetch(`${base}/api/session`, { method: "POST" })).json()) as {
    session: string;
  };
  const headers = { "X-Session": session, "content-type": "application/json" };
  const sent = await fetch(`${base}/api/send`, {
    method: "POST",
    headers,
    body: JSON.stringify({ id: "msg-00000001", text }),
  });
  expect(sent.status).toBe(200);
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${base}/api/messages?after=0`, { headers });
    const { messages } = (await res.json()) as { messages: { message: { text?: string } }[] };
    if (messages.length > 0) return messages.map((m) => m.message.text ?? "");
    if (Date.now() - started > 15_000) throw new Error("no reply within 15 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

let nextPort = 18_700 + Math.floor(Math.random() * 500);

describe("npm start", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-main-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 1 with one clear line per bad variable", async () => {
    const run = start({ PORT: "abc", DATABASE_URL: "mysql://x" });
    expect(await run.exited).toBe(1);
    expect(run.output().trim().split("\n")).toEqual([
      'DATABASE_URL: expected postgresql://… or pglite:<dir>, got "mysql://x"',
      'PORT: expected a port number 0–65535, got "abc"',
    ]);
  });

  it("creates the embedded database, becomes ready, stops cleanly on SIGINT and reuses the data", async () => {
    const port = nextPort++;
    const env = { PORT: String(port), DATABASE_URL: `pglite:${join(dir, "db")}` };
    const first = start(env);
    await waitReady(port, first);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok" });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain("suara_inbound_total");
    expect(first.output()).toContain("npm run chat");
    const stopAt = Date.now();
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    // It stops on its own, well before any kill timeout; not a speed target.
    expect(Date.now() - stopAt).toBeLessThan(30_000);
    expect(first.output()).toContain("stopped cleanly");

    const second = start(env);
    // How fast it is ready is measured by `npm run bench`, not here.
    await waitReady(port, second);
    expect(second.output()).not.toContain("migrations applied");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);

  it("refuses a second process on the same embedded database", async () => {
    const port = nextPort++;
    const env = { PORT: String(port), DATABASE_URL: `pglite:${join(dir, "db")}` };
    const first = start(env);
    await waitReady(port, first);
    const second = start({ ...env, PORT: String(nextPort++) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another process/);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
  }, 120_000);
});

describe("npm start (compiled)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-dist-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("compiles dist/ when a source is newer, then runs it with plain node and answers /healthz", async () => {
    // A source newer than dist/ makes the start script build again.
    const now = new Date();
    await utimes(join(ROOT, "src/config.ts"), now, now);
    const port = nextPort++;
    const run = start({ PORT: String(port), DATABASE_URL: `pglite:${join(dir, "db")}` }, [START]);
    try {
      await waitReady(port, run);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok" });
      expect(run.output()).toContain("compiled src/ to dist/");
      expect((await stat(join(ROOT, "dist/main.js"))).mtimeMs).toBeGreaterThanOrEqual(now.getTime() - 1000);
      // The catalogs are read next to the compiled code.
      expect((await stat(join(ROOT, "dist/flows/content/understand.yaml"))).isFile()).toBe(true);
      // The bundled service answers a typed cry for help with the emergency numbers.
      const replies = await chat(port, "tolong sy dikurung majikan, paspor ditahan");
      expect(replies.join("\n")).toMatch(/110/);
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("stopped cleanly");
  }, 120_000);

  it("talks to Telegram and WhatsApp from the compiled bundle: start, webhook, reply", async () => {
    // The bundle holds grammY and the WhatsApp client themselves (their HTTP clients included), so
    // this is the path a deployment's messages take, not the per-file build the other tests load.
    const telegram = await startFakeTelegram({ token: "123456:TEST-TOKEN-FOR-THE-FAKE-API-0000" });
    const graph = await startFakeGraph();
    const port = nextPort++;
    const appSecret = "test-app-secret-0000";
    const run = start(
      {
        PORT: String(port),
        DATABASE_URL: `pglite:${join(dir, "messengers")}`,
        PUBLIC_URL: "https://bot.example.org",
        TELEGRAM_BOT_TOKEN: "123456:TEST-TOKEN-FOR-THE-FAKE-API-0000",
        TELEGRAM_WEBHOOK_SECRET: "test-webhook-secret",
        TELEGRAM_API_ROOT: telegram.apiRoot,
        WHATSAPP_ACCESS_TOKEN: graph.token,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_APP_SECRET: appSecret,
        WHATSAPP_VERIFY_TOKEN: "test-verify-token",
        WHATSAPP_API_BASE_URL: graph.baseUrl,
      },
      [START],
    );
    try {
      await waitReady(port, run);
      // Ready means started: it asked who it is and registered its webhook with the secret.
      expect(telegram.callsTo("getMe")).toHaveLength(1);
      expect(telegram.webhook).toMatchObject({
        url: "https://bot.example.org/telegram/webhook",
        secret_token: "test-webhook-secret",
      });
      const update = {
        update_id: 1001,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: 990001, type: "private" },
          from: { id: 990001, is_bot: false, first_name: "Test" },
          text: "tolong sy dikurung majikan",
        },
      };
      const answered = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-telegram-bot-api-secret-token": "test-webhook-secret",
        },
        body: JSON.stringify(update),
      });
      expect(answered.status).toBe(200);
      const sent = await telegram.waitFor((c) => c.method === "sendMessage", 15_000);
      expect(String(sent.payload.text)).toMatch(/110/);

      const body = Buffer.from(
        JSON.stringify(
          messageDelivery("6280000000001", { type: "text", text: { body: "halo" }, id: "wamid.t1" }),
        ),
      );
      const signed = await fetch(`http://127.0.0.1:${port}/whatsapp/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`,
        },
        body,
      });
      expect(signed.status).toBe(200);
      const reply = await graph.waitFor(
        (c) =>
          c.method === "POST" &&
          c.path.endsWith("/messages") &&
          (c.body as { to?: string })?.to === "6280000000001",
        15_000,
      );
      expect(reply.body).toMatchObject({ messaging_product: "whatsapp", to: "6280000000001" });
    } finally {
      run.child.kill("SIGTERM");
      await telegram.close();
      await graph.close();
    }
    expect(await run.exited).toBe(0);
  }, 120_000);

  it("rebuilds an uploaded PDF in its worker from the compiled code, without tsx", async () => {
    const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status).toBe(0);
    // Plain node on dist/ (no tsx loader), as `npm start` runs it.
    const script = [
      'import { PDFDocument } from "pdf-lib";',
      'const { decodeEvidence } = await import("./dist/bot/evidence-decode.js");',
      "const doc = await PDFDocument.create();",
      "doc.addPage([200, 200]);",
      "const result = await decodeEvidence(await doc.save());",
      "console.log(JSON.stringify({ ok: result.ok, mime: result.mime ?? result.reason }));",
    ].join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, mime: "application/pdf" });
  }, 60_000);
});

describe.each(databaseKinds().filter((k) => k === "postgres"))("npm start on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await db.close();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("becomes ready on PostgreSQL from the compiled build, answers and stops cleanly", async () => {
    const port = nextPort++;
    const run = start(
      {
        PORT: String(port),
        DATABASE_URL: db.copyUrl!,
        DATA_KEY: key(),
        PSEUDONYM_KEY: key(),
      },
      [START],
    );
    await waitReady(port, run);
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(ready).toMatchObject({ status: "ready", database: "postgres" });
    const replies = await chat(port, "halo");
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.join("\n")).toMatch(/Suara Aman/);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  }, 60_000);
});

function key(): string {
  return Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64");
}
