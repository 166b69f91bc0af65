import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officerButtonId } from "../../../src/bot/officers/officer-commands.ts";
import {
  databaseKinds,
  openTestDatabase,
  pgliteTemplateBytes,
  type TestDatabase,
} from "../../helpers/databases.ts";
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from "../../helpers/fake-telegram.ts";
import {
  buttonsOf,
  callbackQuery,
  postUpdate,
  WebhookChat,
  walkCriticalReport,
} from "../../helpers/report-walk.ts";
import { TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from "../../helpers/telegram-service.ts";

const ROOT = join(import.meta.dirname, "../../..");
const MAIN = join(ROOT, "src/main.ts");
const CONTACTS = join(ROOT, "test/fixtures/contacts/escalation-e2e.yaml");
/** Officers of the contacts fixture (fake Telegram chat ids). */
const TIER1_CHAT = 910000001;
const TIER2_CHAT = 910000002;
const OFFICER_CHATS = [TIER1_CHAT, TIER2_CHAT];
/** The fixture's `ack_timeout_seconds`, in ms. */
const ACK_TIMEOUT_MS = 3000;
/** Past the timeout: the job is due, then waits for the queue's 1 s poll and the dispatcher. */
const PAST_TIMEOUT_MS = ACK_TIMEOUT_MS + 2500;

/** The same keys for every run of the service (a restart must open what the first run sealed). */
const DATA_KEY = randomBytes(32).toString("base64");
const PSEUDONYM_KEY = randomBytes(32).toString("base64");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real service, `node --import tsx src/main.ts`, as a child process. */
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
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { process: child, output: () => out, exited };
}

async function waitReady(port: number, child: Child, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`service exited: ${child.output()}`);
    }
    if (Date.now() - started > timeoutMs) throw new Error(`not ready in time: ${child.output()}`);
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL when the child has not exited after `graceMs`. */
async function stopChild(child: Child | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

async function kill9(child: Child): Promise<void> {
  child.process.kill("SIGKILL");
  await child.exited;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const text = (call: RecordedCall) => String(call.payload.text ?? "");

describe.each(databaseKinds())("escalation end to end over the Telegram webhook (%s)", (kind) => {
  let fake: FakeTelegram;
  let dir: string;
  let pgCopy: TestDatabase | undefined;
  let env: Record<string, string>;
  let port: number;
  let child: Child | undefined;
  const children: Child[] = [];
  const reporterChats: number[] = [];
  const timings: Record<string, number> = {};

  const start = async () => {
    const c = startChild(env);
    children.push(c);
    child = c;
    timings[`ready${children.length}`] = await waitReady(port, c);
    return c;
  };
  const reporter = (chatId: number) => {
    reporterChats.push(chatId);
    return new WebhookChat(chatId, fake, {
      url: `http://127.0.0.1:${port}/telegram/webhook`,
      secret: TEST_WEBHOOK_SECRET,
    });
  };
  /** Notifications (first round) of `code` to an officer chat. */
  const notices = (chatId: number, code: string) =>
    fake
      .callsTo("sendMessage")
      .filter((c) => c.payload.chat_id === chatId && text(c).includes(`LAPORAN TPPO KRITIS: ${code}`));
  const noticeTo = (chatId: number, code: string, timeoutMs: number) =>
    fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === chatId &&
        text(c).includes(`LAPORAN TPPO KRITIS: ${code}`),
      timeoutMs,
    );
  const dump = () =>
    `\n--- service output ---\n${children.map((c) => c.output()).join("\n--- restart ---\n")}`;
  const walkOrDump = (r: WebhookChat) =>
    walkCriticalReport(r).catch((e: Error) => {
      throw new Error(`${e.message}${dump()}`);
    });

  beforeAll(async () => {
    fake = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    dir = await mkdtemp(join(tmpdir(), "suara-escalation-e2e-"));
    let databaseUrl: string;
    if (kind === "pglite") {
      const dataDir = join(dir, "db");
      const db = await PGlite.create({ dataDir, loadDataDir: new Blob([await pgliteTemplateBytes()]) });
      await db.close();
      databaseUrl = `pglite:${dataDir}`;
    } else {
      pgCopy = await openTestDatabase("postgres");
      await pgCopy.close();
      databaseUrl = pgCopy.copyUrl!;
    }
    port = await freePort();
    env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_KEY,
      PSEUDONYM_KEY,
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_MODE: "webhook",
      TELEGRAM_API_ROOT: fake.apiRoot,
      CONTACTS_FILE: CONTACTS,
    };
    await start();
  });

  afterAll(async () => {
    for (const c of children) await stopChild(c);
    await fake?.close();
    // Closed in beforeAll (the child connects itself); destroy() drops the copy.
    await pgCopy?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
    console.info(`escalation e2e (${kind}) timings ms: ${JSON.stringify(timings)}`);
  });

  it("a critical report over the Telegram webhook reaches the tier-1 officer's chat at once, before any acknowledgement could be due", async () => {
    const r = reporter(100000077);
    const { code, confirmSentAt, confirmedAt } = await walkOrDump(r);
    const first = await noticeTo(TIER1_CHAT, code, 2000).catch((e: Error) => {
      throw new Error(`${e.message}${dump()}`);
    });
    timings.tier1AfterConfirm = first.at - confirmedAt;
    // Sent from the outbox right after the commit, not by a job: long before the acknowledgement timeout.
    expect(first.at - confirmedAt).toBeLessThan(ACK_TIMEOUT_MS);
    expect(buttonsOf(first).map((b) => b.callback_data)).toEqual([
      officerButtonId("ack", code),
      officerButtonId("claim", code),
      officerButtonId("ask", code),
      officerButtonId("close", code),
    ]);
    expect(notices(TIER2_CHAT, code)).toHaveLength(0);

    // Nobody acknowledges: tier 2 after the timeout counted from the report (the confirm was sent
    // before the commit), not before; counted from tier 1's delivery it would depend on the outbox.
    const second = await noticeTo(TIER2_CHAT, code, ACK_TIMEOUT_MS + 5000);
    timings.tier2AfterTier1 = second.at - first.at;
    expect(second.at - confirmSentAt).toBeGreaterThanOrEqual(ACK_TIMEOUT_MS);
    expect(text(second)).toContain("Eskalasi tingkat 2");
    expect(notices(TIER1_CHAT, code)).toHaveLength(1);
  }, 60_000);

  it("acknowledge stops further escalation", async () => {
    const r = reporter(100000078);
    const { code } = await walkOrDump(r);
    const notice = await noticeTo(TIER1_CHAT, code, 2000);
    const ack = officerButtonId("ack", code);
    await postUpdate(
      { url: `http://127.0.0.1:${port}/telegram/webhook`, secret: TEST_WEBHOOK_SECRET },
      callbackQuery(TIER1_CHAT, notice, ack, 50_000),
    );
    const acked = await fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === TIER1_CHAT &&
        text(c).startsWith(`Diterima: ${code}`),
      3000,
    );
    timings.ackReplyAfterNotice = acked.at - notice.at;
    await sleep(Math.max(0, notice.at + PAST_TIMEOUT_MS - Date.now()));
    const toTier2 = fake
      .callsTo("sendMessage")
      .filter((c) => c.payload.chat_id === TIER2_CHAT && text(c).includes(code));
    expect(toTier2).toEqual([]);
    // The acknowledging officer is not alerted again either (no exhausted ladder for this case).
    expect(
      fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === TIER1_CHAT && text(c).includes(code)),
    ).toHaveLength(2);
  }, 60_000);

  it("killed with SIGKILL between submission and the timeout, the restarted service notifies tier 2 exactly once", async () => {
    const r = reporter(100000079);
    const { code, confirmedAt } = await walkOrDump(r);
    const first = await noticeTo(TIER1_CHAT, code, 2000);
    // Let the dispatcher record the delivery (a kill between Telegram's answer and that write
    // would resend it: at-least-once), then kill well before the acknowledgement is due.
    await sleep(500);
    expect(Date.now() - confirmedAt).toBeLessThan(ACK_TIMEOUT_MS - 500);
    await kill9(child!);
    const killedAt = Date.now();
    expect(notices(TIER2_CHAT, code)).toHaveLength(0);

    await start();
    timings.restartReady = Date.now() - killedAt;
    const second = await noticeTo(TIER2_CHAT, code, PAST_TIMEOUT_MS + 5000).catch((e: Error) => {
      throw new Error(`${e.message}${dump()}`);
    });
    timings.tier2AfterTier1AcrossRestart = second.at - first.at;
    expect(second.at - first.at).toBeGreaterThanOrEqual(ACK_TIMEOUT_MS - 100);
    await sleep(1000);
    expect(notices(TIER2_CHAT, code)).toHaveLength(1);
    expect(notices(TIER1_CHAT, code)).toHaveLength(1);

    // Another timeout later, still one of each: tier 2 did not acknowledge either, so the ladder
    // (repeat 0) ends with one final alert to each officer, not with a second round.
    await sleep(PAST_TIMEOUT_MS);
    expect(notices(TIER2_CHAT, code)).toHaveLength(1);
    expect(notices(TIER1_CHAT, code)).toHaveLength(1);
    for (const chat of OFFICER_CHATS) {
      const alerts = fake
        .callsTo("sendMessage")
        .filter((c) => c.payload.chat_id === chat && text(c).startsWith(`PERHATIAN: laporan ${code}`));
      expect(alerts, String(chat)).toHaveLength(1);
    }
  }, 90_000);

  it("no payload sent to either side contains the other side's chat id", () => {
    expect(reporterChats).toHaveLength(3);
    const toOfficers = fake.calls.filter((c) => OFFICER_CHATS.includes(Number(c.payload.chat_id)));
    const toReporters = fake.calls.filter((c) => reporterChats.includes(Number(c.payload.chat_id)));
    expect(toOfficers.filter((c) => c.method === "sendMessage").length).toBeGreaterThanOrEqual(5);
    expect(toReporters.filter((c) => c.method === "sendMessage").length).toBeGreaterThanOrEqual(60);
    for (const call of toOfficers) {
      const body = JSON.stringify(call.payload);
      for (const chat of reporterChats) expect(body, call.method).not.toContain(String(chat));
    }
    for (const call of toReporters) {
      const body = JSON.stringify(call.payload);
      for (const chat of OFFICER_CHATS) expect(body, call.method).not.toContain(String(chat));
    }
    // Calls that name no chat (e.g. answerCallbackQuery) name nobody either.
    for (const call of fake.calls.filter((c) => c.payload.chat_id === undefined)) {
      const body = JSON.stringify(call.payload);
      for (const chat of [...reporterChats, ...OFFICER_CHATS]) expect(body).not.toContain(String(chat));
    }
  });
});
