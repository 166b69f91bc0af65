import { createInterface } from "node:readline/promises";
import {
  CONSOLE,
  consoleInbound,
  createConsoleChannel,
  renderConsole,
} from "./bot/channels/console/console-channel.ts";
import type { Candidate } from "./bot/inbound.ts";
import { createLogger } from "./bot/logger.ts";
import { startService } from "./bot/service.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { type Choice, choicesOf } from "./flows/message.ts";
import { resolveKeys } from "./storage/keys.ts";
import { conversationLang } from "./storage/receipts.ts";

/**
 * `npm run chat`: talk to the bot in the terminal, on the same flows, engine and database as the
 * service. The conversation lives in the database, so quitting and starting again resumes it.
 * Choices are numbered; answer with the number or the text. `/keluar` or Ctrl-D quits.
 */
async function chat(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...process.env, PORT: process.env.PORT ?? "0" });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`${line}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(process.env.LOG_LEVEL ?? "warn");
  const keys = await resolveKeys(config, config.DATA_DIR, () => {});
  let lastChoices: Choice[] = [];
  let waiting: (() => void) | undefined;
  const channel = createConsoleChannel((message) => {
    const choices = choicesOf(message);
    if (choices?.length) lastChoices = choices;
    process.stdout.write(`\n${renderConsole(message)}\n`);
    waiting?.();
  });
  const svc = await startService({
    config,
    log,
    keys,
    listen: false,
    channels: [() => channel],
    jobPollSeconds: 0.5,
  });
  const who = process.env.CHAT_USER ?? "local";
  const sender = { id: who, address: { session: "console" } };
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  // Start buffering lines now: piped input arrives before the first reply is printed.
  const lines = rl[Symbol.asyncIterator]();
  process.stdout.write(
    "Suara Aman — obrolan terminal / terminal chat. Ketik pesan; pilih dengan nomor. /keluar untuk keluar.\n",
  );
  const handle = async (candidate: Candidate) => {
    const replied = new Promise<void>((resolve) => {
      waiting = resolve;
      setTimeout(resolve, 3000).unref();
    });
    await svc.inbound.receive(CONSOLE, sender, candidate);
    await replied;
    await new Promise((r) => setTimeout(r, 150));
  };
  const send = (line: string) => handle({ message: consoleInbound(line, lastChoices) });
  const existing = await conversationLang(svc.db, svc.inbound.keyOf(CONSOLE.name, who));
  // A conversation that exists resumes at the question it was at; a new one starts with what the person types.
  if (existing !== undefined) await handle({ resume: true });
  else
    process.stdout.write('Tulis apa saja, misalnya "halo", pertanyaan, atau cerita Anda. / Type anything.\n');
  try {
    process.stdout.write("\n> ");
    for await (const line of { [Symbol.asyncIterator]: () => lines }) {
      if (/^\/(keluar|quit|exit)$/i.test(line.trim())) break;
      if (line.trim()) {
        if (!process.stdin.isTTY) process.stdout.write(`${line}\n`);
        await send(line);
      }
      process.stdout.write("\n> ");
    }
  } finally {
    rl.close();
    await svc.close();
  }
  process.stdout.write("Sampai jumpa. / Goodbye.\n");
  process.exit(0);
}

chat().catch((error: unknown) => {
  process.stderr.write(`chat failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
