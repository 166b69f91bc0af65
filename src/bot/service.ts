import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import { mainFlow } from "../flows/registry.ts";
import { Sealer } from "../storage/crypto.ts";
import { openDatabase } from "../storage/database.ts";
import { readMigrations } from "../storage/migrate.ts";
import { applyPendingMigrations } from "../storage/migration-status.ts";
import { pinPepperKey, usePinPepper } from "../storage/pin-hash.ts";
import { purgeExpired } from "../storage/purge.ts";
import { SenderLimits } from "../storage/sender-limits.ts";
import { type CaseHooks, CaseService } from "./cases.ts";
import type { Channel } from "./channel.ts";
import { checkinEffectHandlers, safePhraseAnnotator } from "./checkins.ts";
import { Dispatcher } from "./dispatcher.ts";
import { type EffectHandlers, Engine, TIMER_QUEUE } from "./engine.ts";
import { caseEffectHandlers } from "./engine-effects.ts";
import { timerInbound } from "./engine-timers.ts";
import { applyHotlinesFile } from "./hotlines.ts";
import { Inbound } from "./inbound.ts";
import { JobQueue } from "./jobs.ts";
import { Metrics } from "./metrics.ts";
import { noOfficers } from "./officers/officer-gateway.ts";
import { acquireDataDirLock } from "./pglite-lock.ts";
import { createServer } from "./server.ts";
import type { ChannelContext, Service, ServiceOptions } from "./service-types.ts";

export type {
  ChannelContext,
  ChannelFactory,
  PluginContext,
  Service,
  ServiceOptions,
  ServicePlugin,
} from "./service-types.ts";

/** Opens storage, applies migrations, starts jobs, engine, dispatcher, channels and HTTP. */
export async function startService(opts: ServiceOptions): Promise<Service> {
  const { config, log, keys } = opts;
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const fn of cleanups.reverse()) {
      await fn().catch((error: Error) => log.error({ err: error.message }, "error while stopping"));
    }
  };
  // How long each step of a start took (ms since startService was called), logged when ready.
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const mark = (name: string) => {
    phases[name] = Math.round(performance.now() - t0);
  };
  try {
    applyHotlinesFile(config.CONTACTS_FILE);
    mark("contacts");
    let db = opts.db;
    if (!db) {
      const target = config.DATABASE_URL;
      if (target.kind === "pglite") {
        const release = await acquireDataDirLock(target.dir);
        cleanups.push(release);
        const started = Date.now();
        db = await openDatabase({ kind: "pglite", dir: target.dir });
        log.info({ ms: Date.now() - started, dir: "DATABASE_URL" }, "embedded database opened");
      } else {
        db = await openDatabase({ kind: "postgres", url: target.url });
      }
      const opened = db;
      cleanups.push(() => opened.close());
    }
    mark("database");
    const applied = await applyPendingMigrations(db);
    if (applied.length > 0) log.info({ migrations: applied }, "migrations applied");
    const expectedMigrations = (await readMigrations()).migrationDirectories.length;

    const sealer = new Sealer(keys.dataKeys, {
      // The place names a table and a row id or a pseudonymous key; never the plaintext.
      onTamper: (place) => log.error({ place }, "sealed value refused: altered, moved or unbound"),
    });
    usePinPepper(pinPepperKey(keys.pseudonymKey));
    const metrics = new Metrics();
    const jobs = new JobQueue({ db, log, pollingIntervalSeconds: opts.jobPollSeconds ?? 1 });
    await jobs.start();
    cleanups.push(() => jobs.stop());
    await jobs.ensureQueue(TIMER_QUEUE);
    mark("jobs");

    const limits = await SenderLimits.open(db, {
      uploadBytesPerDay: config.LIMIT_UPLOAD_MB_PER_DAY * 1024 * 1024,
      reportsPerDay: config.LIMIT_REPORTS_PER_DAY,
      escalationsPerBurst: 1,
      burstMinutes: config.LIMIT_REPORT_BURST_MINUTES,
    });
    cleanups.push(() => limits.close());
    const plugins = (opts.plugins ?? []).map((make) =>
      make({ config, db: db!, sealer, keys, log, metrics, jobs, limits }),
    );
    const hooks: CaseHooks = {
      async onReportStored(tx, stored) {
        let passedOn = false;
        for (const p of plugins)
          passedOn = (await p.hooks?.onReportStored?.(tx, stored)) === true || passedOn;
        return passedOn;
      },
      async onCaseAppended(tx, event) {
        for (const p of plugins) await p.hooks?.onCaseAppended?.(tx, event);
      },
    };
    const cases = new CaseService({ sealer, log, hooks, limits });
    const effects: EffectHandlers = Object.assign(
      caseEffectHandlers(cases),
      checkinEffectHandlers({ sealer, keys, cases, log }),
      ...plugins.map((p) => p.effects ?? {}),
    );
    mark("limits");
    const flow = opts.flow ?? mainFlow();
    const profiles: Record<string, Channel["profile"]> = {};
    let dispatcher: Dispatcher | undefined;
    const engine = new Engine({
      db,
      sealer,
      flow,
      jobs,
      effects,
      annotate: safePhraseAnnotator(keys),
      log,
      channels: profiles,
      conversationTtlMs: config.CONVERSATION_TTL_HOURS * 3_600_000,
      onForget: (key) => limits.forget(key),
      onOutbox: () => dispatcher?.kick(),
      observe: (channel, outcome, seconds) => {
        metrics.inbound.inc({ channel, outcome });
        if (outcome !== "error") metrics.handleSeconds.observe({ channel }, seconds);
      },
      ...(opts.now ? { now: opts.now } : {}),
    });
    cleanups.push(() => engine.drain());

    const officers = plugins.find((p) => p.gateway)?.gateway ?? noOfficers;
    const messagesPerMinute = config.LIMIT_MESSAGES_PER_MINUTE;
    const inbound = new Inbound({
      engine,
      db,
      sealer,
      keys,
      log,
      metrics,
      officers,
      limits,
      messagesPerMinute,
    });
    const ctx: ChannelContext = { config, engine, inbound, db, sealer, keys, log, metrics, officers, jobs };
    const channels: Channel[] = [];
    for (const make of opts.channels ?? []) channels.push(await make(ctx));
    for (const ch of channels) profiles[ch.name] = ch.profile;
    mark("channels");
    dispatcher = new Dispatcher({
      db,
      sealer,
      log,
      senders: Object.fromEntries(channels.map((ch) => [ch.name, ch.sender])),
      // One process opens a PGlite folder, so claims found at start are a dead process's.
      exclusive: db.kind === "pglite",
      onResult: (result) => metrics.outbox.inc({ result }),
    });
    const d = dispatcher;
    cleanups.push(() => d.stop());

    await jobs.work(TIMER_QUEUE, async (data, jobId) => {
      await engine.handle(timerInbound(data, jobId));
    });
    await jobs.work("purge", async () => {
      const result = await purgeExpired(db!, {
        now: new Date(),
        closedCaseRetentionDays: config.CLOSED_CASE_RETENTION_DAYS,
      });
      log.info(result, "retention purge done");
    });
    await jobs.cron("purge", "17 * * * *");
    mark("workers");

    let started = false;
    const app = createServer({
      db,
      metrics,
      log,
      expectedMigrations,
      started: () => started,
      metricsToken: config.METRICS_TOKEN,
      production: config.NODE_ENV === "production",
    });
    for (const ch of channels) ch.mount?.(app);

    dispatcher.start();
    const svc: { -readonly [K in keyof Service]: Service[K] } = {
      config,
      db,
      engine,
      inbound,
      dispatcher,
      jobs,
      sealer,
      keys,
      metrics,
      app,
      log,
      port: undefined,
      channels,
      close: closeAll,
    };
    // Plugins (escalation queues, officer routing) are ready before any webhook can arrive.
    for (const p of plugins) {
      await p.start?.(svc);
      if (p.stop) cleanups.push(() => p.stop!());
    }
    mark("plugins");
    if (opts.listen !== false) {
      const { server, port } = await listen(app, config.PORT);
      svc.port = port;
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      );
    }
    for (const ch of channels) {
      await ch.start?.();
      if (ch.stop) cleanups.push(() => ch.stop!());
    }
    mark("listening");
    started = true;
    log.debug({ phases }, "start phases");
    return svc;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function listen(app: Hono, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: "0.0.0.0" }, (info) =>
      resolve({ server, port: info.port }),
    );
    server.once("error", reject);
  });
}
