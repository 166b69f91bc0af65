import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { startFakeTelegram } from "../test/helpers/fake-telegram.ts";
import { WebhookChat, walkCriticalReport } from "../test/helpers/report-walk.ts";
import { nowMs, serviceLaunch, sleep, type Verdict } from "./common.ts";
import { BENCH_SECRET, BENCH_TOKEN, WEBHOOK_PATH } from "./protocol.ts";

/**
 * Part 4: escalation latency. The real service (`src/main.ts` as a child process, on an existing
 * embedded database, with the contacts of the end-to-end escalation test) gets whole critical reports
 * over the Telegram webhook, a few reporters at a time; for each report, the time from the report's
 * commit (the webhook's answer to the confirming tap) to the tier-1 officer's alert at the fake Bot API,
 * and from the confirming tap itself. Target: p99 ≤ 1 s after the commit.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTACTS = join(ROOT, "test/fixtures/contacts/escalation-e2e.yaml");
const TIER1_CHAT = 910000001;
const P99_TARGET_MS = 1000;

export interface EscalationResult {
  reports: number;
  /** From the webhook's answer to the confirming tap (the report is committed by then) to the alert. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samplesMs: number[];
  /** From the confirming tap's request, the report's own transaction included (PIN hash, sealing). */
  fromConfirmP50Ms: number;
  fromConfirmP99Ms: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

export async function runEscalation(opts: {
  templateFile: string;
  reports: number;
  concurrency: number;
}): Promise<{ lines: string[]; verdicts: Verdict[]; result: EscalationResult }> {
  const fake = await startFakeTelegram({ token: BENCH_TOKEN });
  const dir = await mkdtemp(join(tmpdir(), "suara-escalation-"));
  const dataDir = join(dir, "db");
  const seed = await PGlite.create({ dataDir, loadDataDir: new Blob([await readFile(opts.templateFile)]) });
  await seed.close();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...serviceLaunch().flags, "--import", "tsx", join(ROOT, "src/main.ts")],
    {
      cwd: ROOT,
      env: {
        ...serviceLaunch().env,
        PATH: process.env.PATH ?? "",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        PORT: String(port),
        DATABASE_URL: `pglite:${dataDir}`,
        DATA_KEY: randomBytes(32).toString("base64"),
        PSEUDONYM_KEY: randomBytes(32).toString("base64"),
        TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
        TELEGRAM_MODE: "webhook",
        TELEGRAM_API_ROOT: fake.apiRoot,
        CONTACTS_FILE: CONTACTS,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const started = nowMs();
    while (
      !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (child.exitCode !== null) throw new Error("the service exited before it was ready");
      if (nowMs() - started > 120_000) throw new Error("the service was not ready within 120 s");
      await sleep(50);
    }
    const target = { url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: BENCH_SECRET };
    const samples: number[] = [];
    const fromConfirm: number[] = [];
    let next = 0;
    const reporter = async () => {
      while (next < opts.reports) {
        const chat = new WebhookChat(120_000_000 + next++, fake, target, 60_000);
        const { code, confirmSentAt, confirmedAt } = await walkCriticalReport(chat);
        const alert = await fake.waitFor(
          (c) =>
            c.method === "sendMessage" &&
            c.payload.chat_id === TIER1_CHAT &&
            String(c.payload.text ?? "").includes(`LAPORAN TPPO KRITIS: ${code}`),
          60_000,
        );
        samples.push(alert.at - confirmedAt);
        fromConfirm.push(alert.at - confirmSentAt);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, reporter));
    const sorted = [...samples].sort((a, b) => a - b);
    const sortedFromConfirm = [...fromConfirm].sort((a, b) => a - b);
    const result = {
      reports: samples.length,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      samplesMs: samples,
      fromConfirmP50Ms: quantile(sortedFromConfirm, 0.5),
      fromConfirmP99Ms: quantile(sortedFromConfirm, 0.99),
    };
    return {
      lines: [
        `  ${result.reports} critical reports, ${opts.concurrency} reporters at a time: commit → tier-1 alert p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`,
        `  confirming tap sent → tier-1 alert (the report's transaction included): p50 ${result.fromConfirmP50Ms} ms, p99 ${result.fromConfirmP99Ms} ms`,
      ],
      verdicts: [
        {
          name: "escalation: report committed to tier-1 alert, p99",
          ok: result.p99Ms <= P99_TARGET_MS,
          detail: `${result.p99Ms} ms over ${result.reports} reports (target ≤ ${P99_TARGET_MS} ms)`,
        },
      ],
      result,
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
