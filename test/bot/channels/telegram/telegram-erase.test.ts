import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERASE_CALLBACK_DATA } from "../../../../src/bot/channels/telegram/callback-data.ts";
import { openOutbox } from "../../../../src/bot/outbox-payload.ts";
import { t } from "../../../../src/flows/content/catalog.ts";
import { textOf } from "../../../../src/flows/message.ts";
import { pseudonym } from "../../../../src/storage/crypto.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { FAKE_BOT_INFO, type RecordedCall } from "../../../helpers/fake-telegram.ts";
import { reachEvidence, startReport } from "../../../helpers/telegram-report.ts";
import {
  startTelegramService,
  type TelegramService,
  type TelegramUser,
} from "../../../helpers/telegram-service.ts";

/** Walks a report to the end in English; returns the id of the message that shows the code and PIN. */
async function report(tg: TelegramService, u: TelegramUser): Promise<number> {
  await startReport(u);
  await reachEvidence(u, "The agent kept the passport of my sister.");
  await u.tap("report.evidence:skip");
  await u.tap("report.consent:yes");
  await u.tap("report.review:confirm");
  const key = pseudonym(tg.svc.keys.pseudonymKey, "telegram", u.chatId);
  const sent = await prismaOf(tg.db).outboxMessage.findMany({ where: { targetKey: key, status: "sent" } });
  const stored = sent.find((m) => textOf(openOutbox(tg.svc.sealer, m).message)?.includes("PIN:"));
  expect(stored?.externalId).toMatch(/^\d+$/);
  return Number(stored!.externalId);
}

/** Presses the delete button on message `messageId`; resolves with the answer to the press. */
async function pressErase(tg: TelegramService, u: TelegramUser, messageId: number): Promise<RecordedCall> {
  const id = randomBytes(8).toString("hex");
  const answered = tg.fake.waitFor(
    (c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === id,
  );
  const fresh = await u.send({
    callback_query: {
      id,
      from: { id: u.chatId, is_bot: false, first_name: "Test" },
      chat_instance: "ci",
      data: ERASE_CALLBACK_DATA,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: u.chatId, type: "private", first_name: "Test" },
        from: FAKE_BOT_INFO,
        text: "…",
      },
    },
  });
  expect(fresh).toEqual([]);
  return answered;
}

function callsAbout(tg: TelegramService, method: string, u: TelegramUser, messageId: number): RecordedCall[] {
  return tg.fake.calls.filter(
    (c) =>
      c.method === method && c.payload.chat_id === u.chatId && Number(c.payload.message_id) === messageId,
  );
}

describe.each(databaseKinds())("the delete button under a code + PIN message on Telegram (%s)", (kind) => {
  let tg: TelegramService;
  let u: TelegramUser;
  let codeMessage: number;
  beforeAll(async () => {
    tg = await startTelegramService(kind);
    u = tg.user(7_300_000_517);
    codeMessage = await report(tg, u);
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("is offered under the code + PIN message, and under no other message", () => {
    const withButton = u
      .sent()
      .filter((c) => JSON.stringify(c.payload.reply_markup ?? {}).includes(ERASE_CALLBACK_DATA));
    expect(withButton.map((c) => String(c.payload.text))).toEqual([expect.stringMatching(/PIN: \S+/)]);
    expect(withButton[0]!.payload.reply_markup).toEqual({
      inline_keyboard: [[{ text: t("en", "common.erase_button"), callback_data: ERASE_CALLBACK_DATA }]],
    });
  });

  it("deletes that very message when pressed and says so in a pop-up, leaving the person at the menu", async () => {
    const menu = u.lastKeyboard();
    const answer = await pressErase(tg, u, codeMessage);
    expect(answer.payload).toMatchObject({ text: t("en", "telegram.erase.deleted"), show_alert: true });
    expect(callsAbout(tg, "deleteMessage", u, codeMessage).map((c) => c.status)).toEqual([200]);
    // Nothing else was touched: no keyboard removed, no message sent.
    expect(callsAbout(tg, "editMessageReplyMarkup", u, codeMessage)).toEqual([]);
    expect(u.lastKeyboard().call).toBe(menu.call);

    const next = await u.tap("menu:check");
    expect(next.join("\n").length).toBeGreaterThan(0);
    expect(u.lastKeyboard().call).not.toBe(menu.call);
  });

  it("answers a second press calmly", async () => {
    const answer = await pressErase(tg, u, codeMessage);
    expect(answer.payload).toMatchObject({ text: t("en", "telegram.erase.gone"), show_alert: true });
    expect(callsAbout(tg, "deleteMessage", u, codeMessage).map((c) => c.status)).toEqual([200, 400]);
  });

  it("logs and stores no raw chat id", async () => {
    await tg.settle();
    const chatId = String(u.chatId);
    expect(tg.logs.some((line) => line.includes("message erase requested"))).toBe(true);
    expect(tg.logs.filter((line) => line.includes(chatId))).toEqual([]);
    const p = prismaOf(tg.db);
    const tables = await p.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThan(5);
    for (const { name } of tables) {
      const [row] = await p.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "public"."${name}" r WHERE r::text LIKE '%' || $1 || '%'`,
        chatId,
      );
      expect(row?.n, name).toBe(0);
    }
  });

  it("blanks a message too old to delete and says how to delete it by hand", async () => {
    const other = tg.user(7_300_000_518);
    const old = await report(tg, other);
    tg.fake.on("deleteMessage", () => ({
      error_code: 400,
      description: "Bad Request: message can't be deleted for everyone",
    }));
    const answer = await pressErase(tg, other, old);
    expect(answer.payload).toMatchObject({ text: t("en", "telegram.erase.blanked"), show_alert: true });
    const [edit] = callsAbout(tg, "editMessageText", other, old);
    expect(edit?.payload).toMatchObject({
      text: t("en", "telegram.erase.blank_text"),
      reply_markup: { inline_keyboard: [] },
    });
    expect(edit?.status).toBe(200);
  });
});
