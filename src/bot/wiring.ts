import type { Config } from "../config.ts";
import { webChannel } from "./channels/web/web-channel.ts";
import { loadContacts } from "./officers/contacts.ts";
import { officersPlugin } from "./officers/officers-plugin.ts";
import type { ChannelFactory, ServiceOptions } from "./service.ts";

/**
 * The channels enabled by configuration. A messenger's module (grammY, the WhatsApp client) is
 * loaded only when that messenger is configured, which keeps it out of the other starts.
 */
export function channelFactories(config: Config): ChannelFactory[] {
  const factories: ChannelFactory[] = [];
  if (config.telegramEnabled) {
    factories.push(async (ctx) =>
      (await import("./channels/telegram/telegram-channel.ts")).telegramChannel()(ctx),
    );
  }
  if (config.whatsappEnabled) {
    factories.push(async (ctx) =>
      (await import("./channels/whatsapp/whatsapp-channel.ts")).whatsAppChannel()(ctx),
    );
  }
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
