import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { telegramChannel } from "../../src/bot/channels/telegram/telegram-channel.ts";
import { createLogger } from "../../src/bot/logger.ts";
import {
  type ChannelFactory,
  type Service,
  type ServiceOptions,
  startService,
} from "../../src/bot/service.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases.ts";
import { FAKE_BOT_INFO, type FakeTelegram, type RecordedCall, startFakeTelegram } from "./fake-telegram.ts";

export const TEST_BOT_TOKEN = "123456789:TESTtokenTESTtokenTESTtoken_0123";
export const TEST_WEBHOOK_SECRET = "test-webhook-secret_0123";

/** The real service, in-process on a template database, with Telegram pointed at a local fake Bot API. */
export interface TelegramService {
  svc: Service;
  fake: FakeTelegram;
  db: TestDatabase;
  /** `http://127.0.0.1:<port>` of the service. */
  url: string;
  /** Every log line the service wrote (debug level), for privacy checks. */
  logs: string[];
  /** Posts `body` to the webhook; `secret` `null` sends no secret header. */
  post(body: unknown, opts?: { secret?: string | null; raw?: string }): Promise<Response>;
  /** Resolves once the outbox has nothing left to send. */
  settle(timeoutMs?: number): Promise<void>;
  /** A simulated Telegram user in a private chat. */
  user(chatId: number): TelegramUser;
  close(): Promise<void>;
}

export async function startTelegramService(
  kind: TestDatabaseKind,
  env: Record<string, string> = {},
  opts: {
    plugins?: (config: Config) => NonNullable<ServiceOptions["plugins"]>;
    /** More channels beside Telegram (e.g. the web chat). */
    channels?: ChannelFactory[];
  } = {},
): Promise<TelegramService> {
  const fake = await startFakeTelegram({ token: TEST_BOT_TOKEN });
  const db = await openTestDatabase(kind);
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const svc = await startService({
    config,
    log: createLogger("debug", sink),
    keys: { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) },
    db,
    channels: [telegramChannel({ botInfo: FAKE_BOT_INFO }), ...(opts.channels ?? [])],
    ...(opts.plugins ? { plugins: opts.plugins(config) } : {}),
    jobPollSeconds: 0.5,
  });
  const url = `http://127.0.0.1:${svc.port}`;
  let nextUpdateId = 500_000_000;
  const post: TelegramService["post"] = (body, opts = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const secret = opts.secret === undefined ? TEST_WEBHOOK_SECRET : opts.secret;
    if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
    return fetch(`${url}/telegram/webhook`, {
      method: "POST",
      headers,
      body: opts.raw ?? JSON.stringify(body),
    });
  };
  const settle = async (timeoutMs = 10_000) => {
    const start = Date.now();
    for (;;) {
      const open = await prismaOf(db).outboxMessage.count({
        where: { status: { in: ["pending", "sending"] } },
      });
      if (open === 0) return;
      if (Date.now() - start > timeoutMs) throw new Error(`outbox not empty after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const service: TelegramService = {
    svc,
    fake,
    db,
    url,
    logs,
    post,
    settle,
    user: (chatId) => new TelegramUser(chatId, service, () => nextUpdateId++),
    async close() {
      await svc.close();
      await fake.close();
      await db.destroy();
    },
  };
  return service;
}

/** A button as the fake Bot API received it. */
export type SentButton = { text: string; callback_data: string };

/**
 * Drives one private chat over the webhook: each action posts one update, waits for its
 * commit (the webhook answer), then for the outbox to drain, and returns the messages sent
 * to this chat in the meantime.
 */
export class TelegramUser {
  private seen = 0;
  private messageId = 1;

  constructor(
    readonly chatId: number,
    private readonly tg: TelegramService,
    readonly nextUpdateId: () => number,
  ) {}

  /** Messages the bot sent to this chat, oldest first. */
  sent(): RecordedCall[] {
    return this.tg.fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === this.chatId);
  }

  /** The latest inline keyboard the bot sent to this chat. */
  lastKeyboard(): { call: RecordedCall; buttons: SentButton[] } {
    const call = this.sent().findLast((c) => keyboardOf(c).length > 0);
    if (!call) throw new Error("no keyboard sent to this chat");
    return { call, buttons: keyboardOf(call) };
  }

  /** Texts sent since the previous action. */
  async send(update: Record<string, unknown>): Promise<string[]> {
    const response = await this.tg.post({ update_id: this.nextUpdateId(), ...update });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await this.tg.settle();
    const all = this.sent();
    const fresh = all.slice(this.seen).map((c) => String(c.payload.text));
    this.seen = all.length;
    return fresh;
  }

  message(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.chatId, type: "private", first_name: "Test" },
        from: { id: this.chatId, is_bot: false, first_name: "Test", username: `user${this.chatId}` },
        ...fields,
      },
    };
  }

  text(text: string): Promise<string[]> {
    return this.send(this.message({ text }));
  }

  /** A callback query update for the button whose `callback_data` equals or starts with `data`. */
  tapUpdate(data: string, keyboard = this.lastKeyboard()): Record<string, unknown> {
    const button = keyboard.buttons.find((b) => b.callback_data === data || b.callback_data.startsWith(data));
    if (!button) {
      throw new Error(`no button ${data} in [${keyboard.buttons.map((b) => b.callback_data).join(", ")}]`);
    }
    return {
      callback_query: {
        id: randomBytes(8).toString("hex"),
        from: { id: this.chatId, is_bot: false, first_name: "Test" },
        chat_instance: "ci",
        data: button.callback_data,
        message: {
          message_id: 10_000 + this.messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: this.chatId, type: "private", first_name: "Test" },
          from: FAKE_BOT_INFO,
          text: String(keyboard.call.payload.text),
          reply_markup: keyboard.call.payload.reply_markup,
        },
      },
    };
  }

  tap(data: string): Promise<string[]> {
    return this.send(this.tapUpdate(data));
  }
}

function keyboardOf(call: RecordedCall): SentButton[] {
  const markup = call.payload.reply_markup as { inline_keyboard?: SentButton[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}
