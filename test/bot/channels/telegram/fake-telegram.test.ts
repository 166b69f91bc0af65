import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, GrammyError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answeredKeyboardEdit, toTelegram } from "../../../../src/bot/channels/telegram/to-telegram.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../../../helpers/fake-telegram.ts";

const token = "123456:TEST-fake-token";
const chatId = 100000001;

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await startFakeTelegram({ token });
});
afterEach(async () => {
  await fake.close();
});

function newBot(): Bot {
  const bot = new Bot(token, { botInfo: FAKE_BOT_INFO, client: { apiRoot: fake.apiRoot } });
  bot.api.config.use(autoRetry());
  return bot;
}

describe("fake Telegram Bot API", () => {
  it("records a sendMessage and answers like Telegram", async () => {
    const bot = newBot();
    const sent = await bot.api.sendMessage(chatId, "Halo");
    const again = await bot.api.sendMessage(chatId, "Lagi");
    expect(sent).toMatchObject({
      chat: { id: chatId, type: "private" },
      text: "Halo",
      from: { is_bot: true },
    });
    expect(again.message_id).toBe(sent.message_id + 1);
    expect(fake.callsTo("sendMessage").map((c) => c.payload)).toEqual([
      { chat_id: chatId, text: "Halo" },
      { chat_id: chatId, text: "Lagi" },
    ]);
  });

  it("accepts everything toTelegram renders, and the keyboard edit after an answer", async () => {
    const bot = newBot();
    const choices = [
      { id: "yes", label: "Ya" },
      { id: `long.${"🙏".repeat(30)}`, label: "Tidak" },
    ];
    const sends = toTelegram({ type: "text", text: "Panjang. ".repeat(1000), choices });
    const ids: number[] = [];
    for (const send of sends)
      ids.push((await bot.api.raw[send.method]({ chat_id: chatId, ...send.payload })).message_id);
    const edit = answeredKeyboardEdit(ids.at(-1)!);
    await bot.api.raw[edit.method]({ chat_id: chatId, ...edit.payload });
    expect(fake.callsTo("sendMessage")).toHaveLength(sends.length);
    expect(fake.callsTo("editMessageReplyMarkup")[0]?.payload).toMatchObject({ message_id: ids.at(-1) });
  });

  it("rejects what Telegram rejects: empty or too long texts and oversized callback data", async () => {
    const bot = newBot();
    await expect(bot.api.sendMessage(chatId, " ")).rejects.toThrow(/message text is empty/);
    await expect(bot.api.sendMessage(chatId, "x".repeat(4097))).rejects.toThrow(/message is too long/);
    const keyboard = { inline_keyboard: [[{ text: "x", callback_data: "é".repeat(33) }]] };
    await expect(bot.api.sendMessage(chatId, "x", { reply_markup: keyboard })).rejects.toThrow(
      /BUTTON_DATA_INVALID/,
    );
  });

  it("answers 401 to a wrong token", async () => {
    const bot = new Bot("999:wrong", { botInfo: FAKE_BOT_INFO, client: { apiRoot: fake.apiRoot } });
    const error = await bot.api.sendMessage(chatId, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(401);
  });

  it("honours retry_after: auto-retry waits and the message still arrives once", async () => {
    fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const bot = newBot();
    const started = Date.now();
    await bot.api.sendMessage(chatId, "Kode: TPPO-TEST-0001");
    const attempts = fake.calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("fails with 500 on request, which auto-retry retries", async () => {
    fake.failNext("answerCallbackQuery", { status: 500 });
    const bot = new Bot(token, { botInfo: FAKE_BOT_INFO, client: { apiRoot: fake.apiRoot } });
    await expect(bot.api.answerCallbackQuery("cb-1")).rejects.toMatchObject({ error_code: 500 });
    bot.api.config.use(autoRetry());
    fake.failNext("answerCallbackQuery", { status: 500 });
    await expect(bot.api.answerCallbackQuery("cb-2")).resolves.toBe(true);
    expect(fake.calls.map((c) => c.status)).toEqual([500, 500, 200]);
  }, 10_000);

  it("serves registered files through getFile and the file download URL", async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addFile("AgACAgUAAxkBAAIBFakePhotoLarge", bytes, "photos/file_1.jpg");
    const bot = newBot();
    const file = await bot.api.getFile("AgACAgUAAxkBAAIBFakePhotoLarge");
    expect(file).toMatchObject({ file_path: "photos/file_1.jpg", file_size: bytes.length });
    const res = await fetch(`${fake.apiRoot}/file/bot${token}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect((await fetch(`${fake.apiRoot}/file/bot${token}/photos/missing.jpg`)).status).toBe(404);
    await expect(bot.api.getFile("unknown")).rejects.toThrow(/invalid file_id/);
  });

  it("remembers the webhook and refuses getUpdates while it is set", async () => {
    const bot = newBot();
    await bot.api.setWebhook("https://bot.example.test/telegram/webhook", {
      secret_token: "s3cret",
      allowed_updates: ["message", "callback_query"],
    });
    expect(fake.webhook).toEqual({
      url: "https://bot.example.test/telegram/webhook",
      secret_token: "s3cret",
      allowed_updates: ["message", "callback_query"],
    });
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    await bot.api.deleteWebhook();
    expect(fake.webhook).toBeUndefined();
  });

  it("receives a pushed update by long polling with bot.start() and stops cleanly", async () => {
    const bot = newBot();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const running = bot.start({ timeout: 5 });
    await fake.waitFor((c) => c.method === "getUpdates");
    fake.pushUpdate({
      message: {
        message_id: 1,
        date: 1767225600,
        chat: { id: chatId, type: "private", first_name: "Test User" },
        from: { id: chatId, is_bot: false, first_name: "Test User" },
        text: "halo",
      },
    });
    const reply = await fake.waitFor((c) => c.method === "sendMessage");
    expect(reply.payload).toMatchObject({ chat_id: chatId, text: "echo: halo" });
    await bot.stop();
    await running;
    expect(fake.callsTo("deleteWebhook")).toHaveLength(1);
    const confirm = fake.callsTo("getUpdates").at(-1);
    expect(confirm?.payload.offset).toBe(100000002);
  });

  it("holds getUpdates until the timeout when nothing arrives, and honours the offset", async () => {
    const bot = newBot();
    const first = fake.pushUpdate({
      message: { message_id: 1, date: 0, chat: { id: chatId, type: "private" }, text: "a" },
    });
    expect((await bot.api.getUpdates({ timeout: 1 })).map((u) => u.update_id)).toEqual([first.update_id]);
    const started = Date.now();
    expect(await bot.api.getUpdates({ offset: first.update_id + 1, timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await bot.api.getUpdates({ offset: 0, timeout: 0 })).toEqual([]);
  });
});
