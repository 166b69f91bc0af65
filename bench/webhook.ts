import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openDatabase } from "../src/storage/database.ts";
import { applyMigrations } from "../src/storage/migrate.ts";
import { type FakeTelegram, startFakeTelegram } from "../test/helpers/fake-telegram.ts";
import { fmtRatio, type MemoryBreakdown, serviceLaunch, sleep, table, type Verdict } from "./common.ts";
import {
  BENCH_SECRET,
  BENCH_TOKEN,
  type FromChild,
  SEEDED_CONVERSATIONS,
  type TargetKind,
  TELEGRAM_CHANNEL_MODULE,
  type ToChild,
  WEBHOOK_PATH,
} from "./protocol.ts";

/**
 * Part 2: Telegram webhook throughput with full persistence vs two bare grammY bots: one doing one upsert
 * per message, one doing exactly our durable work with the raw driver (the limit of the design). Each
 * target runs alone in a child process (bench/target.ts); the load generator (autocannon) and the fake
 * Bot API run here, so neither shares the target's event loop.
 */

/** Targets of the issue "Speed, memory and recovery" (ratios in one run). */
const VS_DURABLE = 0.8;
const VS_BARE = 0.45;
const P99_VS_DURABLE = 2;
const RSS_LIMIT_MB = { pglite: 400, postgres: 200 } as const;
/** The replies still queued when a slice's load stops go out within seconds. */
const DRAIN_LIMIT_MS = 5_000;
const CHATS = 5_000;
const CONNECTIONS = 50;

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; p50: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  "2xx": number;
  duration: number;
}
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
/** One run's raw result (`skipAggregateResult`): counts, and histograms only `aggregateResult` reads. */
type CannonRaw = Omit<CannonResult, "latency" | "requests">;
type Cannon = ((opts: Record<string, unknown>) => Promise<CannonResult> & { stop(): void }) & {
  track?: unknown;
  /** Merges raw results: counts summed, latency percentiles from the merged histogram. */
  aggregateResult(results: CannonRaw[], opts: Record<string, unknown>): CannonResult;
};
const autocannon = createRequire(import.meta.url)("autocannon") as Cannon;

export interface WebhookOptions {
  /** PGlite template file (migrated data directory dump). */
  templateFile: string;
  seconds: number;
  warmupSeconds: number;
  /** Admin URL of a PostgreSQL server for the optional PostgreSQL round. */
  postgresUrl?: string;
}

export function telegramAdapterPresent(): boolean {
  return existsSync(fileURLToPath(new URL(TELEGRAM_CHANNEL_MODULE, import.meta.url)));
}

let compiled: Promise<string> | undefined;

/**
 * bench/target.ts compiled once per run to plain JavaScript (its packages left to node_modules), so the
 * targets run on node alone, as `npm start` does: through tsx, a process holds tsx's loader thread too
 * (about 30 MB of RSS that a deployment does not have). Written to .bench-build/ at the project root,
 * where `../dist/` still names the compiled service.
 */
function compiledTarget(): Promise<string> {
  compiled ??= (async () => {
    const outfile = fileURLToPath(new URL("../.bench-build/target.mjs", import.meta.url));
    const { build } = await import("esbuild");
    await build({
      entryPoints: [fileURLToPath(new URL("./target.ts", import.meta.url))],
      outfile,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
    return outfile;
  })();
  return compiled;
}

/** A running child target with a small request/answer protocol over IPC. */
class Child {
  private readonly proc: ChildProcess;
  private readonly waiting: ((m: FromChild) => void)[] = [];
  private readonly unclaimed: FromChild[] = [];
  private readonly exited: Promise<number | null>;
  private failure: string | undefined;

  constructor(kind: TargetKind, script: string, apiRoot: string, db: string) {
    // BENCH_PROFILE=<folder>: each target writes a V8 CPU profile there (open it in Chrome's DevTools).
    const profile = process.env.BENCH_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [];
    this.proc = spawn(
      process.execPath,
      // Ours runs with the environment and node flags of `npm start`; the baselines with node's defaults.
      [
        ...profile,
        ...(kind === "ours" ? serviceLaunch().flags : []),
        "--expose-gc",
        script,
        kind,
        apiRoot,
        db,
      ],
      {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { ...process.env, ...(kind === "ours" ? serviceLaunch().env : {}) },
      },
    );
    this.proc.on("message", (m: FromChild) => {
      if (m.type === "failed") this.failure = m.error;
      const waiter = this.waiting.shift();
      // A message nobody waits for yet (a target ready while another starts) waits for `next`.
      if (waiter) waiter(m);
      else this.unclaimed.push(m);
    });
    this.exited = new Promise((resolve) => this.proc.once("exit", (code) => resolve(code)));
    this.exited.then(() => {
      for (const w of this.waiting.splice(0)) {
        w({ type: "failed", error: this.failure ?? "target exited" });
      }
    });
  }

  next(timeoutMs: number): Promise<FromChild> {
    const early = this.unclaimed.shift();
    if (early) {
      return early.type === "failed"
        ? Promise.reject(new Error(`target failed: ${early.error}`))
        : Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("target did not answer in time")), timeoutMs);
      this.waiting.push((m) => {
        clearTimeout(timer);
        if (m.type === "failed") reject(new Error(`target failed: ${m.error}`));
        else resolve(m);
      });
    });
  }

  async ask(message: ToChild, timeoutMs: number): Promise<FromChild> {
    const answer = this.next(timeoutMs);
    this.proc.send(message);
    return answer;
  }

  /** Asks the child to stop; kills it (by its own pid) when it does not exit in time. */
  async stop(): Promise<number | undefined> {
    let rss: number | undefined;
    if (this.proc.exitCode === null && this.proc.connected) {
      try {
        const m = await this.ask({ type: "stop" }, 20_000);
        if (m.type === "stopped") rss = m.rss;
      } catch {
        // fall through to the kill below
      }
    }
    // A child that answered "stopped" exits on its own (writing its CPU profile, with BENCH_PROFILE).
    if (rss !== undefined) await Promise.race([this.exited, sleep(10_000)]);
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5_000);
    if (this.proc.exitCode === null) this.proc.kill("SIGTERM");
    await this.exited;
    clearTimeout(timer);
    return rss;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }
}

let nextUpdateId = 700_000_000;

/** Which chat a target's next update comes from: its slices go on where the previous one stopped. */
interface ChatCursor {
  base: number;
  next: number;
}

function load(port: number, seconds: number, chats: ChatCursor): Promise<CannonRaw> {
  const run = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 20,
    // Raw results (histograms encoded), so the slices of one target add up to one result.
    skipAggregateResult: true,
    requests: [
      {
        method: "POST",
        path: WEBHOOK_PATH,
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": BENCH_SECRET },
        setupRequest(req: CannonRequest) {
          const chatId = chats.base + (chats.next++ % CHATS);
          const updateId = nextUpdateId++;
          req.body = JSON.stringify({
            update_id: updateId,
            message: {
              message_id: updateId,
              date: Math.floor(Date.now() / 1000),
              chat: { id: chatId, type: "private", first_name: "Bench" },
              from: { id: chatId, is_bot: false, first_name: "Bench", language_code: "id" },
              text: "/start",
              entities: [{ type: "bot_command", offset: 0, length: 6 }],
            },
          });
          return req;
        },
      },
    ],
  });
  return run as unknown as Promise<CannonRaw>;
}
interface RoundResult {
  rps: number;
  p99: number;
  p50: number;
  ok: number;
  bad: number;
  drainMs: number;
  statuses: Record<string, number>;
  replies: number;
  rssReady: number;
  /** The highest RSS during the measured load. */
  rssPeak: number;
  rssAfterLoad: number;
  /** After load, drain, a pause and a full GC. */
  memoryAfterLoad: MemoryBreakdown;
  rssStopped: number | undefined;
}

/** One database's results, as written to bench/results.json. */
export interface WebhookSetting {
  database: "pglite" | "postgres";
  label: string;
  base: RoundResult;
  durable: RoundResult;
  ours: RoundResult;
  oursVsDurable: number;
  oursVsBare: number;
}

/** Seconds of load per slice: the targets take turns, so a slow spell of the machine hits all three. */
const SLICE_SECONDS = 2;

/** One target of a database setting while it is measured: its process, database and slices so far. */
interface Running {
  kind: TargetKind;
  child: Child;
  port: number;
  rssReady: number;
  chats: ChatCursor;
  slices: CannonRaw[];
  drains: Extract<FromChild, { type: "drained" }>[];
  replies: number;
}

/**
 * Measures the three targets of one database setting: all three are started (each on its own
 * database) and warmed up, then take turns under the load in slices of about {@link SLICE_SECONDS},
 * in a rotating order, each drained (its outbox sent) before the next one's slice. A target's
 * throughput is its 2xx answers over its summed load time; its latency percentiles come from the
 * merged histograms of its slices.
 */
async function measure(
  fake: FakeTelegram,
  make: (kind: TargetKind) => Promise<{ url: string; drop(): Promise<void> }>,
  opts: WebhookOptions,
  chatBase: number,
): Promise<Record<TargetKind, RoundResult>> {
  const kinds = ["base", "durable", "ours"] as const;
  const running: Running[] = [];
  const drops: (() => Promise<void>)[] = [];
  try {
    for (const [i, kind] of kinds.entries()) {
      const db = await make(kind);
      drops.push(() => db.drop());
      const child = new Child(kind, await compiledTarget(), fake.apiRoot, db.url);
      running.push({
        kind,
        child,
        port: 0,
        rssReady: 0,
        chats: { base: chatBase + i * 1_000_000, next: 0 },
        slices: [],
        drains: [],
        replies: 0,
      });
    }
    for (const target of running) {
      const ready = await target.child.next(120_000);
      if (ready.type !== "ready") throw new Error(`unexpected ${ready.type}`);
      target.port = ready.port;
      target.rssReady = ready.rss;
    }
    for (const target of running) {
      if (opts.warmupSeconds > 0) {
        await load(target.port, opts.warmupSeconds, { base: target.chats.base + 100_000, next: 0 });
      }
      // Let the warm-up's replies go out before measuring.
      await drained(target.child);
    }
    const slices = Math.max(1, Math.round(opts.seconds / SLICE_SECONDS));
    for (let slice = 0; slice < slices; slice++) {
      for (let turn = 0; turn < running.length; turn++) {
        const target = running[(slice + turn) % running.length]!;
        const repliesBefore = fake.callsTo("sendMessage").length;
        target.slices.push(await load(target.port, opts.seconds / slices, target.chats));
        target.drains.push(await drained(target.child));
        target.replies += fake.callsTo("sendMessage").length - repliesBefore;
      }
    }
    const results: Partial<Record<TargetKind, RoundResult>> = {};
    for (const target of running) {
      results[target.kind] = { ...summarise(target), rssStopped: await target.child.stop() };
    }
    return results as Record<TargetKind, RoundResult>;
  } finally {
    for (const target of running) target.child.kill();
    for (const drop of drops) await drop();
  }
}

async function drained(child: Child): Promise<Extract<FromChild, { type: "drained" }>> {
  const answer = await child.ask({ type: "drain" }, 150_000);
  if (answer.type !== "drained") throw new Error(`unexpected ${answer.type}`);
  return answer;
}

function summarise(target: Running): Omit<RoundResult, "rssStopped"> {
  const merged = autocannon.aggregateResult(target.slices, {
    url: `http://127.0.0.1:${target.port}`,
    connections: CONNECTIONS,
  });
  const seconds = target.slices.reduce((sum, r) => sum + r.duration, 0);
  const last = target.drains.at(-1)!;
  return {
    rps: merged["2xx"] / seconds,
    p99: merged.latency.p99,
    p50: merged.latency.p50,
    ok: merged["2xx"],
    bad: merged.non2xx + merged.errors + merged.timeouts,
    drainMs: Math.max(...target.drains.map((d) => d.ms)),
    statuses: last.statuses,
    replies: target.replies,
    rssReady: target.rssReady,
    rssPeak: Math.max(...target.drains.map((d) => d.rssPeak)),
    rssAfterLoad: last.rss,
    memoryAfterLoad: last.memory,
  };
}

/** Creates a fresh database on the server at `adminUrl`; returns its URL and a dropper. */
async function freshPostgres(
  adminUrl: string,
  label: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `suara_bench_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Migrated here, so the target opens an existing database (as on PGlite, from the template).
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 1 });
  try {
    await applyMigrations(db.adapterFactory);
  } finally {
    await db.close();
  }
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

function roundRow(name: string, r: RoundResult): string[] {
  const statuses = Object.entries(r.statuses)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    name,
    r.rps.toFixed(0),
    r.p50.toFixed(0),
    r.p99.toFixed(0),
    String(r.bad),
    String(r.replies),
    r.drainMs > 0 || statuses ? `${r.drainMs} ms` : "n/a (replies in request)",
    `${r.rssReady.toFixed(0)}→${r.rssPeak.toFixed(0)}→${r.rssAfterLoad.toFixed(0)} MB`,
  ];
}

export async function runWebhook(
  opts: WebhookOptions,
): Promise<{ lines: string[]; verdicts: Verdict[]; settings: WebhookSetting[] }> {
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const done: WebhookSetting[] = [];
  if (!telegramAdapterPresent()) {
    lines.push("SKIPPED: telegram adapter not present");
    return { lines, verdicts, settings: done };
  }
  const fake = await startFakeTelegram({ token: BENCH_TOKEN });
  try {
    const settings: {
      database: "pglite" | "postgres";
      label: string;
      make: (kind: string) => Promise<{ url: string; drop(): Promise<void> }>;
    }[] = [
      {
        database: "pglite",
        label: "PGlite on a data folder",
        make: async () => ({ url: opts.templateFile, drop: async () => {} }),
      },
    ];
    if (opts.postgresUrl) {
      const admin = opts.postgresUrl;
      settings.push({
        database: "postgres",
        label: "PostgreSQL",
        make: (kind) => freshPostgres(admin, kind),
      });
    }
    let chatBase = 10_000_000;
    for (const setting of settings) {
      const { base, durable, ours } = await measure(fake, setting.make, opts, chatBase);
      chatBase += 3_000_000;
      const vsDurable = ours.rps / durable.rps;
      const vsBare = ours.rps / base.rps;
      done.push({
        database: setting.database,
        label: setting.label,
        base,
        durable,
        ours,
        oursVsDurable: vsDurable,
        oursVsBare: vsBare,
      });
      lines.push(
        `${setting.label}: ${CONNECTIONS} connections, ${CHATS} chats, ${opts.seconds} s each in turns of ${(opts.seconds / Math.max(1, Math.round(opts.seconds / SLICE_SECONDS))).toFixed(1)} s after ${opts.warmupSeconds} s warm-up, "/start" updates; ours with ${SEEDED_CONVERSATIONS} stored conversations`,
      );
      lines.push(
        table(
          [
            "",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "replies",
            "outbox drained after load",
            "RSS ready→peak→after load",
          ],
          [
            roundRow("bare grammY + 1 upsert", base),
            roundRow("bare grammY + our durable work (raw driver)", durable),
            roundRow("Suara Aman service", ours),
          ],
        ),
      );
      lines.push(
        `  ours/durable limit = ${fmtRatio(vsDurable)} (target ≥ ${VS_DURABLE}), ours/bare = ${fmtRatio(vsBare)} (target ≥ ${VS_BARE}); p99 ${ours.p99.toFixed(0)} vs ${durable.p99.toFixed(0)} ms`,
      );
      const mem = (r: RoundResult) => {
        const m = r.memoryAfterLoad;
        return `heap ${m.heapUsed}, external ${m.external} (array buffers ${m.arrayBuffers})${m.wasm === undefined ? "" : `, wasm ${m.wasm}`}`;
      };
      lines.push(`  memory after load, MB: bare ${mem(base)}; durable ${mem(durable)}; ours ${mem(ours)}`);
      const leftover = (ours.statuses.pending ?? 0) + (ours.statuses.sending ?? 0);
      const failed = ours.bad ? `; ${ours.bad} failed requests` : "";
      verdicts.push(
        {
          name: `throughput vs the durable limit (${setting.label})`,
          ok: vsDurable >= VS_DURABLE && ours.bad === 0,
          detail: `${fmtRatio(vsDurable)} (target ≥ ${VS_DURABLE}×)${failed}`,
        },
        {
          name: `throughput vs bare grammY + upsert (${setting.label})`,
          ok: vsBare >= VS_BARE && ours.bad === 0,
          detail: `${fmtRatio(vsBare)} (target ≥ ${VS_BARE}×)${failed}`,
        },
        {
          name: `p99 vs the durable limit (${setting.label})`,
          ok: ours.p99 <= P99_VS_DURABLE * durable.p99,
          detail: `${ours.p99.toFixed(0)} ms vs ${durable.p99.toFixed(0)} ms (target ≤ ${P99_VS_DURABLE}×)`,
        },
        {
          name: `RSS with ${SEEDED_CONVERSATIONS} conversations after load (${setting.label})`,
          ok: ours.rssAfterLoad <= RSS_LIMIT_MB[setting.database],
          detail: `${ours.rssAfterLoad.toFixed(0)} MB (target ≤ ${RSS_LIMIT_MB[setting.database]} MB)`,
        },
        {
          name: `outbox drained after load (${setting.label})`,
          ok: leftover === 0 && (ours.statuses.dead ?? 0) === 0 && ours.drainMs <= DRAIN_LIMIT_MS,
          detail: `${ours.drainMs} ms (target ≤ ${DRAIN_LIMIT_MS} ms, after each slice); ${Object.entries(
            ours.statuses,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`,
        },
      );
    }
  } finally {
    await fake.close();
  }
  return { lines, verdicts, settings: done };
}
