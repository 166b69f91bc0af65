import type { Config } from "../config.ts";
import { telegramChannel } from "./channels/telegram/telegram-channel.ts";
import { whatsAppChannel } from "./channels/whatsapp/whatsapp-channel.ts";
import type { ChannelFactory, ServiceOptions } from "./service.ts";

/** The channels enabled by configuration. */
export function channelFactories(config: Config): ChannelFactory[] {
  const factories: ChannelFactory[] = [];
  if (config.telegramEnabled) factories.push(telegramChannel());
  if (config.whatsappEnabled) factories.push(whatsAppChannel());
  return factories;
}

/** Plugins enabled by configuration (officers and escalation). */
export function pluginFactories(_config: Config): NonNullable<ServiceOptions["plugins"]> {
  return [];
}
