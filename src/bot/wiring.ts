import type { Config } from "../config.ts";
import type { ChannelFactory, ServiceOptions } from "./service.ts";

/** The channels enabled by configuration. */
export function channelFactories(_config: Config): ChannelFactory[] {
  return [];
}

/** Plugins enabled by configuration (officers and escalation). */
export function pluginFactories(_config: Config): NonNullable<ServiceOptions["plugins"]> {
  return [];
}
