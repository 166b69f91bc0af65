import { BotError, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Context as HonoContext } from "hono";
import type { Channel } from "../../channel.ts";
import type { ChannelContext, ChannelFactory } from "../../service.ts";
import { resolveChoiceId } from "./callback-data.ts";
import { ALLOWED_UPDATES, TelegramClient } from "./telegram-client.ts";
import { TelegramSender } from "./telegram-sender.ts";
import { TELEGRAM, TelegramUpdates } from "./telegram-updates.ts";
import { isMalformedUpdate } from "./webhook-guard.ts";

/** Where Telegram posts updates in webhook mode. */
export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";

export interface TelegramChannelOptions {
  /** A known bot identity (tests); otherwise `start()` asks `getMe`. */
  botInfo?: UserFromGetMe;
  /** How long a webhook request may take before grammY answers 500 (Telegram then redelivers). */
  webhookTimeoutMs?: number;
}

/**
 * The Telegram channel (`config.telegramEnabled`). Webhook mode mounts `POST /telegram/webhook` with
 * grammY's secret-token check (wrong or missing → 401 before anything is read) and registers it with
 * `setWebhook` at start when `PUBLIC_URL` is set; polling mode deletes any webhook and long-polls.
 * Both feed {@link TelegramUpdates}; replies leave through the outbox via {@link TelegramSender}.
 */
export function telegramChannel(opts: TelegramChannelOptions = {}): ChannelFactory {
  return (ctx) => createTelegramChannel(ctx, opts);
}

function createTelegramChannel(ctx: ChannelContext, opts: TelegramChannelOptions): Channel {
  const { config, log } = ctx;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const client = new TelegramClient({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });
  const bot = client.bot;
  const updates = new TelegramUpdates(ctx, client, opts.botInfo?.username);
  const webhook = config.TELEGRAM_MODE === "webhook";
  let stopping = false;
  bot.use(async (c) => {
    if (webhook) {
      // A failure answers 500 and Telegram delivers the update again.
      await updates.handle(c.update);
      return;
    }
    // Long polling confirms an update by asking for the next one, so a failed update (e.g. the
    // database briefly unreachable) is retried here instead of being skipped.
    for (let attempt = 1; ; attempt++) {
      try {
        await updates.handle(c.update);
        return;
      } catch (error) {
        if (stopping) throw error;
        log.warn(
          { attempt, err: error instanceof Error ? error.name : "unknown" },
          "telegram update failed; retrying",
        );
        await new Promise((r) => setTimeout(r, Math.min(30_000, 250 * 2 ** (attempt - 1))));
      }
    }
  });
  let polling: Promise<void> | undefined;

  return {
    name: TELEGRAM,
    // Bots may delete their own messages for 48 hours.
    profile: {
      numbersChoices: () => false,
      resolveChoice: resolveChoiceId,
      unsend: { withinMs: 48 * 3_600_000 },
    },
    sender: new TelegramSender(client, ctx.db, ctx.sealer),
    mount(app) {
      if (!webhook) return;
      const secretToken = config.TELEGRAM_WEBHOOK_SECRET;
      if (!secretToken) throw new Error("TELEGRAM_WEBHOOK_SECRET is required for TELEGRAM_MODE=webhook");
      const callback = webhookCallback(bot, "hono", {
        secretToken,
        timeoutMilliseconds: opts.webhookTimeoutMs ?? 10_000,
      });
      app.post(TELEGRAM_WEBHOOK_PATH, async (c: HonoContext) => {
        try {
          if (await isMalformedUpdate(c, secretToken))
            return c.json({ ok: false, error: "bad request" }, 400);
          return await callback(c);
        } catch (error) {
          if (error instanceof BotError) {
            // Logged with the conversation key by the inbound path; Telegram redelivers after a 500.
            return c.json({ ok: false }, 500);
          }
          if (error instanceof Error && /timed out/i.test(error.message)) return c.json({ ok: false }, 500);
          log.warn(
            { err: error instanceof Error ? error.name : "unknown" },
            "telegram webhook body unreadable",
          );
          return c.json({ ok: false, error: "bad request" }, 400);
        }
      });
    },
    async start() {
      await bot.init();
      // The command menu is a convenience: a failure is logged, never fatal.
      await client.setCommands().catch((error: unknown) => {
        log.warn(
          { err: error instanceof Error ? error.message : "unknown" },
          "telegram command menu not set",
        );
      });
      if (webhook) {
        if (config.PUBLIC_URL && config.TELEGRAM_WEBHOOK_SECRET) {
          await client.setWebhook(
            `${config.PUBLIC_URL}${TELEGRAM_WEBHOOK_PATH}`,
            config.TELEGRAM_WEBHOOK_SECRET,
          );
          log.info({ path: TELEGRAM_WEBHOOK_PATH }, "telegram webhook registered");
        } else {
          log.info(
            { path: TELEGRAM_WEBHOOK_PATH },
            "telegram webhook mode without PUBLIC_URL: expecting a webhook registered elsewhere",
          );
        }
        return;
      }
      // bot.start() deletes any webhook first (Telegram refuses getUpdates while one is set).
      bot.catch((error) => {
        log.error(
          { err: error.error instanceof Error ? error.error.name : "unknown" },
          "telegram update dropped",
        );
      });
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            allowed_updates: [...ALLOWED_UPDATES],
            drop_pending_updates: false,
            onStart: () => resolve(),
          })
          .catch((error: unknown) => {
            log.error(
              { err: error instanceof Error ? error.message : String(error) },
              "telegram polling stopped",
            );
            reject(error);
          });
      });
      log.info("telegram long polling started");
    },
    async stop() {
      stopping = true;
      if (polling) {
        await bot.stop();
        await polling;
      }
      await updates.drain();
    },
  };
}
