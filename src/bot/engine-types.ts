import type { Logger } from "pino";
import type { AnyStateMachine } from "xstate";
import type { FlowEvent, FlowOutput, OutboundMessage } from "../flows/message.ts";
import type { ChannelState } from "../storage/conversations.ts";
import type { Sealer } from "../storage/crypto.ts";
import type { Database, Tx } from "../storage/database.ts";

/* The engine's ports and data shapes; the engine itself is in engine.ts. */

/**
 * The flow a conversation runs: the root machine and its version (see src/flows/registry.ts). A
 * snapshot stored under another id or version restarts at the menu with an apology.
 */
export interface FlowDefinition {
  id: string;
  version: number;
  machine: AnyStateMachine;
  /** The flows composed into `machine`, each with its own version; without it the machine is one flow. */
  parts?: FlowParts;
}

/** Per-flow versions of a composed machine (`mainFlow()` in src/flows/registry.ts). */
export interface FlowParts {
  /** Each flow's version, stored beside every snapshot. */
  versions: Readonly<Record<string, number>>;
  /**
   * A stored snapshot made fit for `versions`, given the versions it was `recorded` with; `restart`
   * is the event that moves the conversation to the start of its flow when that flow changed.
   */
  upgrade(
    snapshot: unknown,
    recorded: Readonly<Record<string, number>>,
  ): { snapshot: unknown; restart?: FlowEvent };
}

/** Outputs the engine writes itself: replies to the outbox, timers to the job queue, deletion. */
export type BuiltInOutputType = "reply" | "schedule" | "timer.cancel" | "conversation.delete";

/** Every other output is an effect, done by the handler registered for its type. */
export type EffectOutput = Exclude<FlowOutput, { type: BuiltInOutputType }>;

/**
 * Does one effect inside the conversation's transaction. The event it returns is sent back into the
 * flow in the same transaction (the answer the flow waits for); `undefined` sends nothing.
 */
export type EffectHandler<O extends EffectOutput = EffectOutput> = (
  tx: Tx,
  ctx: EffectContext,
  output: O,
) => Promise<FlowEvent | undefined>;

/**
 * The effect handlers, by output type, given to the engine when the service is wired
 * (`src/bot/service.ts`: the case effects, then each plugin's). A new effect is an output type in
 * `FlowOutput`, a handler, and its entry here.
 */
export type EffectHandlers = {
  [K in EffectOutput["type"]]?: EffectHandler<Extract<EffectOutput, { type: K }>>;
};

/**
 * Case effects that need storage: storing reports, checking code + PIN, adding to a case. Each
 * runs inside the conversation's transaction and answers with the event the flow waits for;
 * `caseEffectHandlers()` (engine-effects.ts) registers them by output type.
 */
export interface CaseEffects {
  submitReport(tx: Tx, ctx: EffectContext, report: unknown): Promise<FlowEvent>;
  lookupStatus(tx: Tx, ctx: EffectContext, code: string, pin: string): Promise<FlowEvent>;
  appendCase(
    tx: Tx,
    ctx: EffectContext,
    output: Extract<FlowOutput, { type: "case.append" }>,
  ): Promise<FlowEvent>;
}

/** What an effect knows about the conversation (never the raw user id). */
export interface EffectContext {
  conversationKey: string;
  channel: string;
  state: ChannelState;
  now: Date;
}

/** Schedules durable jobs inside the caller's transaction (pg-boss with the transaction's executor). */
export interface JobScheduler {
  /** Enqueues a job atomically with `tx`; returns its id. */
  scheduleInTx(tx: Tx, queue: string, data: object, startAfter: Date): Promise<string | null>;
  /** Removes a job that has not run yet, atomically with `tx`. */
  cancelInTx(tx: Tx, queue: string, id: string): Promise<void>;
}

/** Per-channel rendering facts the engine needs without knowing the channel. */
export interface ChannelProfile {
  /** Whether this message's choices are shown as a numbered text menu (a typed number picks one). */
  numbersChoices(message: OutboundMessage): boolean;
  /**
   * Maps a choice id as the channel delivered it (e.g. a shortened button payload) back to one of
   * the ids last offered in this conversation; unknown ids are returned unchanged.
   */
  resolveChoice?(id: string, offered: readonly string[]): string;
  /** The channel can delete the bot's own recent messages (`unsend`); `/hapus` then withdraws them. */
  unsend?: { withinMs: number };
}

export interface EngineOptions {
  db: Database;
  sealer: Sealer;
  flow: FlowDefinition;
  jobs: JobScheduler;
  /** What the engine does for each effect output (see {@link EffectHandlers}). */
  effects: EffectHandlers;
  log: Logger;
  channels: Record<string, ChannelProfile>;
  conversationTtlMs: number;
  /** Told the key of a conversation deleted with `/hapus`, to forget what is kept outside the database (limits). */
  onForget?: (key: string) => Promise<void>;
  /** Called after a commit that wrote outbox messages (kicks the dispatcher). */
  onOutbox?: () => void;
  /** Most events applied in one transaction (group commit); default 32. */
  maxBatch?: number;
  /** Transactions running at once on PostgreSQL (PGlite has one connection); default 4. */
  batchConcurrency?: number;
  /**
   * Looks at each user message inside the conversation's transaction before the flow does, and may mark
   * it (the check-in safe phrase, matched on its keyed hash: `src/bot/checkins.ts`).
   */
  annotate?: (tx: Tx, conversationKey: string, event: FlowEvent) => Promise<FlowEvent>;
  /** Called once per handled event (metrics). */
  observe?: (channel: string, outcome: HandleOutcome | "error", seconds: number) => void;
  now?: () => Date;
}

/** One inbound event for one conversation. */
export interface Inbound {
  conversationKey: string;
  channel: string;
  /** Delivery id for de-duplication (`update_id`, wamid, timer job id). */
  externalId?: string;
  /** Where replies go (chat id, phone number…); stored only sealed. */
  address?: unknown;
  event: FlowEvent;
  /**
   * Counts a person's message against the per-sender limit (in the statement that locks the row).
   * Past it, the first message becomes the calm `sender.limited` answer and later ones are dropped,
   * unless `exempt` says so (a typed cry for help always reaches the flow).
   */
  limit?: { perMinute: number; exempt(): boolean };
  /**
   * The channel's id of the person's own message. On a channel that can withdraw messages (`unsend`),
   * a typed PIN is withdrawn after the status check has read it.
   */
  messageRef?: string;
}

export type HandleOutcome = "applied" | "duplicate" | "recovered" | "missing" | "limited";

/** The sealed outbox payload: where a message goes and what it says. */
export interface OutboxPayload {
  address: unknown;
  message: OutboundMessage;
}

/** Queue names for durable jobs the engine schedules. */
export const TIMER_QUEUE = "flow-timer";

/** Data of a flow timer job. */
export interface TimerJob {
  conversationKey: string;
  channel: string;
  name: string;
  token: string;
}
