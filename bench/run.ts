/**
 * `npm run bench`: the performance targets of docs DESIGN.md ("Performance and reliability targets"),
 * measured only as RATIOS against baselines run in the same process tree on the same machine, never
 * against absolute numbers. Exits 1 when a target is MISSED.
 *
 * 1. Flow cost as a conversation grows (bench/flow-cost.ts): one 40-question form written as an XState v5
 *    machine (ours) and as a `@grammyjs/conversations` conversation (baseline, replays every step); time
 *    per update at steps 1, 20 and 40, (i) flow runtime only and (ii) full path on one in-memory PGlite
 *    (our real Engine.handle vs the conversations bot with one read + one upsert per update).
 *    Targets: ours step 40 / step 1 ≤ 1.5 and, at the runtime level, baseline / ours at step 40 ≥ 5.
 * 2. Telegram webhook throughput (bench/webhook.ts, bench/target.ts): the real service (startService +
 *    Telegram channel, outbox, in-memory PGlite, 10,000 stored conversations) vs two bare grammY webhook
 *    bots: one upsert per message, and our exact durable work with the raw driver (the durable limit), each
 *    in a child process, loaded by autocannon from here (50 connections, 5,000 chats) with a local fake Bot
 *    API. Targets: ours ≥ 0.8 × the durable limit and ≥ 0.45 × the bare bot, p99 ≤ 2 × the durable limit's,
 *    RSS after load ≤ 400 MB (PGlite) / 200 MB (PostgreSQL), and the outbox fully drained afterwards.
 *    Skipped (not failed) when the Telegram adapter is not present. With BENCH_DATABASE_URL (an admin URL)
 *    the same three also run on PostgreSQL, each in a fresh database created and dropped here.
 * 3. Ready time (bench/ready.ts): `node dist/main.js` on an existing embedded database, process start to
 *    /readyz, as a child process. Target ≤ 1.5 s (median of three starts).
 * 4. Escalation latency (bench/escalation.ts): whole critical reports over the webhook of the real
 *    service; the report's commit (and the confirming tap) to the tier-1 alert at the fake Bot API.
 *    Target p99 ≤ 1 s after the commit.
 *
 * Everything measured is also written to bench/results.json.
 *
 * Knobs: BENCH_CONVERSATIONS (default 41), BENCH_WARMUP (10), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_PARTS (which parts to run, e.g. "2,4"; default all), BENCH_REPORTS (20 critical reports in part 4).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/storage/database.ts";
import { applyMigrations } from "../src/storage/migrate.ts";
import { buildDist, nowMs, rssMb, type Verdict, verdictLine } from "./common.ts";
import { type EscalationResult, runEscalation } from "./escalation.ts";
import { type FlowStepCosts, runFlowCost } from "./flow-cost.ts";
import { measureReady } from "./ready.ts";
import { runWebhook, type WebhookSetting } from "./webhook.ts";

const READY_TARGET_MS = 1500;
const RESULTS = new URL("./results.json", import.meta.url);

const WATCHDOG_MS = 600_000;

/** Whether part `n` runs (BENCH_PARTS, e.g. "2,4"; default all); a skipped part has no verdict. */
function part(n: number): boolean {
  const parts = process.env.BENCH_PARTS;
  return !parts || parts.split(",").map(Number).includes(n);
}

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

async function main(): Promise<number> {
  const started = nowMs();
  const secs = () => `${((nowMs() - started) / 1000).toFixed(0)} s`;
  const verdicts: Verdict[] = [];
  let settings: WebhookSetting[] = [];
  let readyMs: number[] = [];
  let escalation: EscalationResult | null = null;
  let stepCosts: FlowStepCosts = {};
  const dir = await mkdtemp(join(tmpdir(), "suara-bench-"));
  try {
    console.log(
      `Suara Aman bench — ratios against baselines in this process tree (RSS ${rssMb().toFixed(0)} MB)`,
    );
    // One migrated in-memory PGlite, dumped once and loaded by every part (initdb is the slow bit).
    const template = await openDatabase({ kind: "pglite", dir: null });
    await applyMigrations(template.adapterFactory);
    const dump = (await template.pglite!.dumpDataDir("none")) as Blob;
    await template.close();
    const templateFile = join(dir, "template.tar");
    await writeFile(templateFile, Buffer.from(await dump.arrayBuffer()));
    console.log(`migrated PGlite template ready after ${secs()} (RSS ${rssMb().toFixed(0)} MB)\n`);
    // Parts 2 and 3 measure the compiled service (dist/), as `npm start` runs it.
    if (part(2) || part(3)) buildDist();

    if (part(1)) {
      console.log("1. Per-update cost as a 40-question form conversation grows (trimmed mean per update)");
      const flow = await runFlowCost({
        conversations: envInt("BENCH_CONVERSATIONS", 41),
        warmup: envInt("BENCH_WARMUP", 10),
        template: dump,
      });
      console.log(flow.lines.join("\n"));
      verdicts.push(...flow.verdicts);
      stepCosts = flow.stepCosts;
      console.log(`  (part 1 done after ${secs()})\n`);
    }

    if (part(2)) {
      console.log("2. Telegram webhook throughput with full persistence");
      const rss = rssMb();
      const webhook = await runWebhook({
        templateFile,
        seconds: envInt("BENCH_SECONDS", 10),
        warmupSeconds: envInt("BENCH_WARMUP_SECONDS", 2),
        ...(process.env.BENCH_DATABASE_URL ? { postgresUrl: process.env.BENCH_DATABASE_URL } : {}),
      }).catch((error: Error) => ({
        lines: [`  ERROR: ${error.message.split("\n").slice(0, 6).join("\n  ")}`],
        verdicts: [
          { name: "webhook throughput vs bare grammY + upsert", ok: false, detail: "the run failed" },
        ],
        settings: [] as WebhookSetting[],
      }));
      settings = webhook.settings;
      console.log(webhook.lines.join("\n"));
      console.log(
        `  memory (bench process): RSS ${rss.toFixed(0)} MB before, ${rssMb().toFixed(0)} MB after`,
      );
      verdicts.push(...webhook.verdicts);
      console.log(`  (part 2 done after ${secs()})\n`);
    }

    if (part(3)) {
      console.log("3. Ready time of the compiled service on an existing embedded database (child process)");
      readyMs = await measureReady(templateFile, 3).catch((error: Error) => {
        console.log(`  ERROR: ${error.message}`);
        return [];
      });
      const median = [...readyMs].sort((a, b) => a - b)[Math.floor(readyMs.length / 2)];
      console.log(`  ${readyMs.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}`);
      verdicts.push({
        name: "ready on an existing embedded database",
        ok: median !== undefined && median <= READY_TARGET_MS,
        detail: `median ${median?.toFixed(0) ?? "?"} ms (target ≤ ${READY_TARGET_MS} ms)`,
      });
      console.log(`  (part 3 done after ${secs()})\n`);
    }
    if (part(4)) {
      console.log("4. Escalation: a critical report's commit to the tier-1 alert (child process)");
      const run = await runEscalation({
        templateFile,
        reports: envInt("BENCH_REPORTS", 20),
        concurrency: 4,
      }).catch((error: Error) => ({
        lines: [`  ERROR: ${error.message}`],
        verdicts: [
          {
            name: "escalation: report committed to tier-1 alert, p99",
            ok: false,
            detail: "the run failed",
          },
        ],
        result: null,
      }));
      escalation = run.result;
      console.log(run.lines.join("\n"));
      verdicts.push(...run.verdicts);
      console.log(`  (part 4 done after ${secs()})\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log("Targets");
  for (const v of verdicts) console.log(`  ${verdictLine(v)}`);
  const missed = verdicts.filter((v) => !v.ok).length;
  await writeFile(
    RESULTS,
    `${JSON.stringify(results(settings, stepCosts, readyMs, escalation, verdicts), null, 2)}\n`,
  );
  console.log(`\nresults written to bench/results.json`);
  console.log(
    missed ? `\n${missed} target(s) MISSED (total ${secs()})` : `\nall targets met (total ${secs()})`,
  );
  return missed ? 1 : 0;
}

/** What bench/results.json holds: enough to compare two runs on two machines. */
function results(
  settings: WebhookSetting[],
  stepCosts: FlowStepCosts,
  readyMs: number[],
  escalation: EscalationResult | null,
  verdicts: Verdict[],
) {
  const round = (r: WebhookSetting["ours"]) => ({
    reqPerSec: Math.round(r.rps),
    p50Ms: r.p50,
    p99Ms: r.p99,
    errors: r.bad,
    replies: r.replies,
    drainMs: r.drainMs,
    rssReadyMb: Math.round(r.rssReady),
    rssPeakMb: Math.round(r.rssPeak),
    rssAfterLoadMb: Math.round(r.rssAfterLoad),
    memoryAfterLoadMb: r.memoryAfterLoad,
  });
  return {
    at: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      os: `${platform()} ${release()}`,
      node: process.version,
    },
    /** Part 1: per-update cost as a 40-question form grows, runtime only and the full path. */
    stepCosts,
    throughput: Object.fromEntries(
      settings.map((s) => [
        s.database,
        {
          bareUpsert: round(s.base),
          durableLimit: round(s.durable),
          ours: round(s.ours),
          oursVsDurable: Number(s.oursVsDurable.toFixed(3)),
          oursVsBare: Number(s.oursVsBare.toFixed(3)),
        },
      ]),
    ),
    readyMs: readyMs.map((ms) => Math.round(ms)),
    escalation,
    verdicts,
  };
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
