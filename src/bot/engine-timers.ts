import { randomUUID } from "node:crypto";
import type { FlowOutput } from "../flows/message.ts";
import type { ChannelState } from "../storage/conversations.ts";
import type { Tx } from "../storage/database.ts";
import { type Inbound, type JobScheduler, TIMER_QUEUE, type TimerJob } from "./engine-types.ts";

/*
 * Named durable timers. A flow emits `schedule` (a name, a delay or an absolute time, optionally its
 * own token) and `timer.cancel` (a name); the engine keeps one pending pg-boss job per name in the
 * conversation's `channelState.timers` (name → job id), written in the conversation's transaction.
 * Scheduling a name again replaces its job. A firing reaches the flow only while its job is the one
 * recorded for its name, so a replaced or cancelled timer, or one delivered twice, is never seen.
 */

const PREFIX = "timer:";

/** The inbound event of a fired timer job (`externalId` de-duplicates redeliveries and names the job). */
export function timerInbound(data: unknown, jobId: string): Inbound {
  const job = data as TimerJob;
  return {
    conversationKey: job.conversationKey,
    channel: job.channel,
    externalId: `${PREFIX}${jobId}`,
    event: { type: "timer.fired", name: job.name, token: job.token },
  };
}

/**
 * Whether `inbound`, a `timer.fired`, is the pending timer of its name, which it then takes out of
 * `state`. Conversations stored before named timers (no `timers` recorded) let every firing through;
 * their flows compare tokens themselves.
 */
export function takeFiring(inbound: Inbound, state: ChannelState): boolean {
  const event = inbound.event;
  if (event.type !== "timer.fired") return false;
  if (state.timers === undefined) return true;
  const job = inbound.externalId?.startsWith(PREFIX) ? inbound.externalId.slice(PREFIX.length) : undefined;
  if (job === undefined || state.timers[event.name] !== job) return false;
  const { [event.name]: _fired, ...rest } = state.timers;
  state.timers = rest;
  return true;
}

/** Schedules or cancels the named timer `output` asks for, replacing the pending job of that name. */
export async function writeTimer(
  tx: Tx,
  jobs: JobScheduler,
  inbound: Inbound,
  output: Extract<FlowOutput, { type: "schedule" | "timer.cancel" }>,
  state: ChannelState,
  now: Date,
): Promise<void> {
  const timers = { ...(state.timers ?? {}) };
  const previous = timers[output.name];
  if (previous !== undefined) await jobs.cancelInTx(tx, TIMER_QUEUE, previous);
  delete timers[output.name];
  if (output.type === "schedule") {
    const job: TimerJob = {
      conversationKey: inbound.conversationKey,
      channel: inbound.channel,
      name: output.name,
      token: output.token ?? randomUUID(),
    };
    const id = await jobs.scheduleInTx(tx, TIMER_QUEUE, job, dueAt(output, now));
    if (id) timers[output.name] = id;
  }
  state.timers = timers;
}

function dueAt(output: Extract<FlowOutput, { type: "schedule" }>, now: Date): Date {
  const at = output.at === undefined ? Number.NaN : Date.parse(output.at);
  return new Date(Number.isFinite(at) ? at : now.getTime() + (output.delayMs ?? 0));
}
