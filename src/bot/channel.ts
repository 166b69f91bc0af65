import type { Hono } from "hono";
import type { ChannelSender } from "./dispatcher.ts";
import type { ChannelProfile } from "./engine.ts";

/**
 * A channel plugged into the service: how to send, what the engine must know about rendering,
 * and optionally HTTP routes and a lifecycle (long polling, webhook registration).
 */
export interface Channel {
  readonly name: string;
  readonly sender: ChannelSender;
  readonly profile: ChannelProfile;
  mount?(app: Hono): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
