import type { Config } from "../config.ts";
import { telegramChannel } from "./channels/telegram/telegram-channel.ts";
import { webChannel } from "./channels/web/web-channel.ts";
import { whatsAppChannel } from "./channels/whatsapp/whatsapp-channel.ts";
import { loadContacts } from "./officers/contacts.ts";
import { officersPlugin } from "./officers/officers-plugin.ts";
import type { ChannelFactory, ServiceOptions } from "./service.ts";

/** The channels enabled by configuration. */
export function channelFactories(config: Config): ChannelFactory[] {
  const factories: ChannelFactory[] = [];
  if (config.telegramEnabled) factories.push(telegramChannel());
  if (config.whatsappEnabled) factories.push(whatsAppChannel());
  if (config.WEB_CHAT === "on") factories.push(webChannel());
  return factories;
}

/**
 * Plugins enabled by configuration (officers and escalation). Throws a `ContactsError` listing
 * every problem of `CONTACTS_FILE`, which stops the start.
 */
export function pluginFactories(config: Config): NonNullable<ServiceOptions["plugins"]> {
  return [officersPlugin({ contacts: loadContacts(config.CONTACTS_FILE) })];
}
