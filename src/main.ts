import { createLogger } from "./bot/logger.ts";
import type { ChannelFactory, ServiceOptions } from "./bot/service.ts";
import { startService } from "./bot/service.ts";
import { channelFactories, pluginFactories } from "./bot/wiring.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { resolveKeys } from "./storage/keys.ts";

/** Composition root of `npm start`: config → storage → engine → channels → HTTP; clean shutdown. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const keys = await resolveKeys(config, config.DATA_DIR, (message) => log.warn(message));
  const channels: ChannelFactory[] = channelFactories(config);
  const options: ServiceOptions = { config, log, keys, channels, plugins: pluginFactories(config) };
  const started = Date.now();
  const svc = await startService(options);
  log.info(
    {
      port: svc.port,
      database: svc.db.kind,
      telegram: config.telegramEnabled ? config.TELEGRAM_MODE : "off",
      whatsapp: config.whatsappEnabled ? "on" : "off",
      web: config.WEB_CHAT,
      ms: Date.now() - started,
    },
    "Suara Aman is ready",
  );
  if (config.WEB_CHAT === "on") {
    process.stdout.write(`\nWeb chat: open http://localhost:${svc.port}/ in a browser.\n`);
  }
  if (!config.telegramEnabled && !config.whatsappEnabled) {
    process.stdout.write(
      `\nSuara Aman is running on http://localhost:${svc.port} (health: /healthz, /readyz, /metrics) ` +
        "with no messenger connected. To talk to the bot in this terminal, stop it (Ctrl-C) and run " +
        "`npm run chat`. To connect Telegram, set TELEGRAM_BOT_TOKEN (from @BotFather) and, for webhooks, " +
        "PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET; for WhatsApp set WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, " +
        "WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN. The README explains each step.\n\n",
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    const force = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, 15_000);
    force.unref();
    await svc.close();
    log.info("stopped cleanly");
    process.exit(0);
  };
  // Last line of defence: a stray rejection is logged (pseudonymous keys only), never fatal.
  process.on("unhandledRejection", (reason) => {
    log.error(
      { err: reason instanceof Error ? `${reason.name}: ${reason.message}` : "unknown" },
      "unhandled rejection",
    );
  });
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`Suara Aman could not start: ${message}\n`);
  process.exit(1);
});
