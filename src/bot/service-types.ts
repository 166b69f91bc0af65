import type { Hono } from "hono";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Sealer } from "../storage/crypto.ts";
import type { Database } from "../storage/database.ts";
import type { Keys } from "../storage/keys.ts";
import type { SenderLimits } from "../storage/sender-limits.ts";
import type { CaseHooks } from "./cases.ts";
import type { Channel } from "./channel.ts";
import type { Dispatcher } from "./dispatcher.ts";
import type { EffectHandlers, Engine, FlowDefinition } from "./engine.ts";
import type { Inbound } from "./inbound.ts";
import type { JobQueue } from "./jobs.ts";
import type { Metrics } from "./metrics.ts";
import type { OfficerGateway } from "./officers/officer-gateway.ts";

/** The service's public shapes: what it runs, what channels and plugins get, and its options. */

/** Everything the service runs, wired together; `close()` stops it in the right order. */
export interface Service {
  readonly config: Config;
  readonly db: Database;
  readonly engine: Engine;
  /** The one inbound path every channel hands its messages to. */
  readonly inbound: Inbound;
  readonly dispatcher: Dispatcher;
  readonly jobs: JobQueue;
  readonly sealer: Sealer;
  readonly keys: Keys;
  readonly metrics: Metrics;
  readonly app: Hono;
  readonly log: Logger;
  /** The bound HTTP port (when `listen` was requested). */
  readonly port: number | undefined;
  readonly channels: Channel[];
  close(): Promise<void>;
}

/** Builds channels once the engine exists (they feed it and send through the dispatcher). */
export type ChannelFactory = (ctx: ChannelContext) => Channel | Promise<Channel>;

/** What a channel gets from the service. */
export interface ChannelContext {
  config: Config;
  engine: Engine;
  /** Where a channel hands every inbound message (pseudonym, officers, evidence, engine). */
  inbound: Inbound;
  db: Database;
  sealer: Sealer;
  keys: Keys;
  log: Logger;
  metrics: Metrics;
  /** Routes officer messages before they reach the user flows (used by `inbound`). */
  officers: OfficerGateway;
  /** Registers a durable job queue with its handler (started with the service). */
  jobs: JobQueue;
}

/** Extra parts plugged in after the core (officers and escalation). */
export interface ServicePlugin {
  hooks?: CaseHooks;
  /** Effect handlers by output type; a plugin's handler replaces an earlier one for the same type. */
  effects?: EffectHandlers;
  /** Officer routing for channels (the first plugin that has one wins). */
  gateway?: OfficerGateway;
  start?(svc: Service): Promise<void>;
  stop?(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  log: Logger;
  keys: Keys;
  /** An already open database (tests); otherwise opened from `config.DATABASE_URL`. */
  db?: Database;
  channels?: ChannelFactory[];
  plugins?: ((ctx: PluginContext) => ServicePlugin)[];
  flow?: FlowDefinition;
  /** Bind the HTTP server on `config.PORT` (default true). */
  listen?: boolean;
  /** Seconds between job polls (pg-boss minimum 0.5). */
  jobPollSeconds?: number;
  now?: () => Date;
}

/** What a plugin gets when it is created (before the engine exists; see `start` for the rest). */
export interface PluginContext {
  config: Config;
  db: Database;
  sealer: Sealer;
  keys: Keys;
  log: Logger;
  metrics: Metrics;
  jobs: JobQueue;
  /** Per-sender limits (escalation bursts). */
  limits?: SenderLimits;
}
