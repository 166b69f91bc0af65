import pino from "pino";
import { CaseService } from "../../src/bot/cases.ts";
import { checkinEffectHandlers, safePhraseAnnotator } from "../../src/bot/checkins.ts";
import { Engine, TIMER_QUEUE } from "../../src/bot/engine.ts";
import { caseEffectHandlers } from "../../src/bot/engine-effects.ts";
import { JobQueue } from "../../src/bot/jobs.ts";
import { openOutbox } from "../../src/bot/outbox-payload.ts";
import type { FlowEvent, InboundMessage } from "../../src/flows/message.ts";
import { textOf } from "../../src/flows/message.ts";
import { mainFlow } from "../../src/flows/registry.ts";
import type { ChannelState } from "../../src/storage/conversations.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import type { Database } from "../../src/storage/database.ts";
import type { Keys } from "../../src/storage/keys.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";

/**
 * The real engine with the main flow, the case service and the check-in effects over `db`, on a fake
 * clock (`clock.now`). Timers are not run by pg-boss workers: {@link CheckinHarness.fire} delivers the
 * pending job of a name as pg-boss would, so a test decides when time passes.
 */
export interface CheckinHarness {
  engine: Engine;
  jobs: JobQueue;
  sealer: Sealer;
  clock: { now: Date };
  /** Urgencies of the cases opened (the case service's escalation hook). */
  cases: string[];
  send(key: string, message: InboundMessage, channel?: string): Promise<void>;
  /** The pending job of timer `name`: its id and due time, or undefined. */
  timer(key: string, name: string): Promise<{ id: string; due: Date } | undefined>;
  /** Delivers the pending job of timer `name` (again, with `id`) at the fake clock's time set to its due time. */
  fire(key: string, name: string, id?: string): Promise<string | undefined>;
  /** Texts written to the outbox for `key`, oldest first, with their purpose. */
  outbox(key: string): Promise<{ text: string; purpose: string }[]>;
  stop(): Promise<void>;
}

export async function createCheckinHarness(db: Database, keys: Keys, start: Date): Promise<CheckinHarness> {
  const log = pino({ level: "silent" });
  const sealer = new Sealer(keys.dataKeys);
  const jobs = new JobQueue({ db, log, pollingIntervalSeconds: 0.5 });
  await jobs.start();
  await jobs.ensureQueue(TIMER_QUEUE);
  const clock = { now: start };
  const opened: string[] = [];
  const cases = new CaseService({
    sealer,
    log,
    hooks: {
      async onReportStored(_tx, stored) {
        opened.push(stored.triage.urgency);
        return true;
      },
    },
  });
  const engine = new Engine({
    db,
    sealer,
    jobs,
    log,
    flow: mainFlow(),
    effects: { ...caseEffectHandlers(cases), ...checkinEffectHandlers({ sealer, keys, cases, log }) },
    annotate: safePhraseAnnotator(keys),
    channels: {
      console: { numbersChoices: () => false },
      whatsapp: { numbersChoices: () => false },
      telegram: { numbersChoices: () => false },
    },
    conversationTtlMs: 30 * 86_400_000,
    now: () => clock.now,
  });
  let seq = 0;
  const timer = async (key: string, name: string) => {
    const row = await prismaOf(db).conversation.findUnique({ where: { key } });
    const id = (row?.channelState as ChannelState | null)?.timers?.[name];
    if (!id) return undefined;
    const rows = await prismaOf(db).$queryRawUnsafe<{ start_after: Date }[]>(
      "SELECT start_after FROM pgboss.job WHERE id = $1::uuid",
      id,
    );
    return rows[0] ? { id, due: new Date(rows[0].start_after) } : undefined;
  };
  return {
    engine,
    jobs,
    sealer,
    clock,
    cases: opened,
    async send(key, message, channel = "console") {
      const event: FlowEvent = { type: "user.message", message };
      await engine.handle({
        conversationKey: key,
        channel,
        address: `addr-${key}`,
        externalId: `m${++seq}-${key}`,
        event,
      });
    },
    timer,
    async fire(key, name, id) {
      const pending = await timer(key, name);
      const job = id ?? pending?.id;
      if (!job) return undefined;
      if (pending && pending.id === job) clock.now = pending.due;
      await engine.handle({
        conversationKey: key,
        channel: "console",
        externalId: `timer:${job}`,
        event: { type: "timer.fired", name, token: "t" },
      });
      return job;
    },
    async outbox(key) {
      const rows = await prismaOf(db).outboxMessage.findMany({
        where: { targetKey: key },
        orderBy: { seq: "asc" },
      });
      return rows.map((r) => ({
        text: textOf(openOutbox(sealer, r).message) ?? "",
        purpose: r.purpose,
      }));
    },
    async stop() {
      await jobs.stop();
      await engine.drain();
    },
  };
}

/** Opts `key` in at the menu: Riyadh, leaving `date`, the default schedule, a safe phrase and consent. */
export async function optIn(
  h: CheckinHarness,
  key: string,
  opts: { date?: string; phrase?: string; consent?: boolean; channel?: string } = {},
): Promise<string> {
  const c = (id: string) => h.send(key, { type: "choice", id }, opts.channel);
  const say = (text: string) => h.send(key, { type: "text", text }, opts.channel);
  await h.send(key, { type: "command", command: "start" }, opts.channel);
  await c("language:id");
  await c("menu:checkin");
  await c("checkin.hub:start");
  await say(opts.date ?? "10/12/26");
  await say("Arab Saudi");
  await say("Riyadh");
  await say("PT Contoh Jaya");
  await c("checkin.employer:skip");
  await say("Mbak Contoh");
  await c("checkin.schedule:default");
  if (opts.phrase) await say(opts.phrase);
  else await c("checkin.phrase:skip");
  await c(opts.consent === false ? "checkin.consent:no" : "checkin.consent:yes");
  const done = (await h.outbox(key)).at(-1)?.text ?? "";
  const code = /KLG-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(done)?.[0];
  if (!code) throw new Error(`no family code in: ${done}`);
  return code;
}
