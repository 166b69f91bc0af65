import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eraseMessage } from "../../../../src/bot/channels/telegram/erase-message.ts";
import { TelegramClient } from "../../../../src/bot/channels/telegram/telegram-client.ts";
import { createLogger } from "../../../../src/bot/logger.ts";
import { allCatalogs, LANGS, t } from "../../../../src/flows/content/catalog.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../../../helpers/fake-telegram.ts";

const token = "123456:TEST-fake-token";
const chatId = 100_000_417;

let fake: FakeTelegram;
let client: TelegramClient;
let logs: string[];
const log = () =>
  createLogger(
    "debug",
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );

beforeEach(async () => {
  fake = await startFakeTelegram({ token });
  client = new TelegramClient({ token, apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO });
  logs = [];
});
afterEach(async () => {
  await fake.close();
});

describe("eraseMessage", () => {
  it("deletes the message and answers in a pop-up in the person's language", async () => {
    const { message_id } = await client.bot.api.sendMessage(chatId, "Kode: REF-TEST PIN: 000000");
    const outcome = await eraseMessage(
      client,
      { chatId, messageId: message_id, callbackId: "cb-1" },
      "id",
      log(),
    );
    expect(outcome).toBe("deleted");
    expect(fake.callsTo("answerCallbackQuery")[0]?.payload).toMatchObject({
      callback_query_id: "cb-1",
      text: t("id", "telegram.erase.deleted"),
      show_alert: true,
    });
  });

  it("says it could not delete, without naming the chat, when Telegram fails otherwise", async () => {
    const { message_id } = await client.bot.api.sendMessage(chatId, "Kode: REF-TEST PIN: 000000");
    fake.on("deleteMessage", () => ({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    }));
    const outcome = await eraseMessage(
      client,
      { chatId, messageId: message_id, callbackId: "cb-2" },
      "en",
      log(),
    );
    expect(outcome).toBe("failed");
    expect(fake.callsTo("answerCallbackQuery")[0]?.payload).toMatchObject({
      text: t("en", "telegram.erase.failed"),
    });
    expect(logs.join("")).toContain("telegram message not erased");
    expect(logs.join("")).not.toContain(String(chatId));
  });

  it("says the message is gone when it was deleted before it could be blanked", async () => {
    fake.on("deleteMessage", () => ({
      error_code: 400,
      description: "Bad Request: message can't be deleted",
    }));
    fake.on("editMessageText", () => ({
      error_code: 400,
      description: "Bad Request: message to edit not found",
    }));
    const outcome = await eraseMessage(client, { chatId, messageId: 7, callbackId: "cb-3" }, "en", log());
    expect(outcome).toBe("gone");
    expect(fake.callsTo("answerCallbackQuery")[0]?.payload).toMatchObject({
      text: t("en", "telegram.erase.gone"),
    });
  });

  it("has answers that fit Telegram's 200-character pop-up in every language", () => {
    for (const lang of LANGS) {
      const answers = [...allCatalogs().get(lang)!].filter(([key]) => key.startsWith("telegram.erase."));
      expect(answers.length).toBeGreaterThanOrEqual(5);
      for (const [key, text] of answers) expect(text.length, `${lang}: ${key}`).toBeLessThanOrEqual(200);
    }
  });
});
