import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import { pseudonym, sealedAt } from "../../../../src/storage/crypto.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { reachEvidence, startReport } from "../../../helpers/telegram-report.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";

async function counts(tg: TelegramService) {
  const p = prismaOf(tg.db);
  return {
    conversations: await p.conversation.count(),
    receipts: await p.inboundReceipt.count(),
    outbox: await p.outboxMessage.count(),
    evidence: await p.evidence.count(),
  };
}

async function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366aa" } })
    .jpeg()
    .withExif({ IFD0: { Copyright: "secret-exif-marker", Artist: "Reporter Name" } })
    .toBuffer();
}

describe.each(databaseKinds())("Telegram channel over the webhook (%s)", (kind) => {
  let tg: TelegramService;
  const chats: number[] = [];
  let nextChat = 7_100_000_001;
  const newUser = () => {
    const id = nextChat++;
    chats.push(id);
    return tg.user(id);
  };

  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("takes a whole anonymous report with a photo and sends code and PIN to that chat", async () => {
    const u = newUser();
    await startReport(u);
    await reachEvidence(u);
    tg.fake.addFile("photo-big", await jpegWithExif(), "photos/file_1.jpg");
    const afterPhoto = await u.send(
      u.message({
        photo: [
          { file_id: "photo-small", file_unique_id: "ps", width: 32, height: 24 },
          { file_id: "photo-big", file_unique_id: "pb", width: 64, height: 48 },
        ],
        caption: "the contract",
      }),
    );
    expect(tg.fake.callsTo("getFile").map((c) => c.payload.file_id)).toContain("photo-big");
    expect(afterPhoto.join("\n")).not.toContain(t("en", "common.unsupported"));

    const key = pseudonym(tg.svc.keys.pseudonymKey, "telegram", u.chatId);
    const evidence = await prismaOf(tg.db).evidence.findMany({ where: { conversationKey: key } });
    expect(evidence).toHaveLength(1);
    const stored = tg.svc.sealer.open(evidence[0]!.dataSealed, sealedAt.evidenceData(evidence[0]!.id));
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    expect(stored.includes("secret-exif-marker")).toBe(false);

    await u.tap("report.evidence:done");
    await u.tap("report.consent:no");
    const done = await u.tap("report.review:confirm");
    const all = done.join("\n");
    expect(all).toMatch(/REF-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(all).toMatch(/PIN: \S+/);
    const report = await prismaOf(tg.db).report.findFirst({ select: { id: true } });
    expect(report).not.toBeNull();
    const linked = await prismaOf(tg.db).evidence.findUnique({ where: { id: evidence[0]!.id } });
    expect(linked?.reportId).toBe(report?.id);
  });

  it("answers every button press and removes the keyboard of the answered message", async () => {
    const u = newUser();
    await u.text("/start");
    const tap = u.tapUpdate("language:en");
    await u.send(tap);
    const query = tap.callback_query as { id: string; message: { message_id: number } };
    const answered = await tg.fake.waitFor(
      (c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === query.id,
    );
    expect(answered).toBeDefined();
    const edit = await tg.fake.waitFor(
      (c) =>
        c.method === "editMessageReplyMarkup" &&
        c.payload.chat_id === u.chatId &&
        c.payload.message_id === query.message.message_id,
    );
    expect(edit.payload.reply_markup).toEqual({ inline_keyboard: [] });
  });

  it("answers a wrong or missing secret token with 401 and writes nothing", async () => {
    const before = await counts(tg);
    const u = newUser();
    const update = { update_id: u.nextUpdateId(), ...u.message({ text: "/start" }) };
    expect((await tg.post(update, { secret: "wrong-secret" })).status).toBe(401);
    expect((await tg.post(update, { secret: null })).status).toBe(401);
    expect((await tg.post(null, { secret: "wrong", raw: "{not json" })).status).toBe(401);
    await tg.settle();
    expect(await counts(tg)).toEqual(before);
    expect(u.sent()).toHaveLength(0);
  });

  it("answers a broken or odd body without crashing and stores nothing", async () => {
    const before = await counts(tg);
    for (const raw of [
      "{not json",
      "",
      "null",
      "[]",
      "42",
      '{"update_id":"x"}',
      '{"update_id":1,"message":7}',
    ]) {
      const response = await tg.post(null, { raw });
      expect(response.status, raw).toBeLessThan(500);
    }
    expect(await counts(tg)).toEqual(before);
    expect((await fetch(`${tg.url}/healthz`)).status).toBe(200);
  });

  it("replies exactly once to the same update_id delivered twice", async () => {
    const u = newUser();
    const update = { update_id: u.nextUpdateId(), ...u.message({ text: "/start" }) };
    const [first, second] = await Promise.all([tg.post(update), tg.post(update)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await tg.post(update)).status).toBe(200);
    await tg.settle();
    expect(u.sent()).toHaveLength(1);
    expect(u.lastKeyboard().buttons.map((b) => b.callback_data)).toEqual(["language:id", "language:en"]);
  });

  it("waits out a 429 with retry_after and still delivers the reply", async () => {
    const u = newUser();
    tg.fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    await u.text("/start");
    const limited = tg.fake.calls.find((c) => c.method === "sendMessage" && c.status === 429);
    const delivered = u.sent();
    expect(limited?.payload.chat_id).toBe(u.chatId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.at - limited!.at).toBeGreaterThanOrEqual(950);
  });

  it("answers a sticker mid-report politely and goes on where the report was", async () => {
    const u = newUser();
    await startReport(u);
    const peoplePrompt = t("en", "report.people.prompt");
    const polite = await u.send(
      u.message({ sticker: { file_id: "st", file_unique_id: "st", type: "regular" } }),
    );
    expect(polite[0]).toBe(t("en", "common.unsupported"));
    expect(polite.join("\n")).toContain(peoplePrompt);
    expect(u.lastKeyboard().buttons.map((b) => b.callback_data)).toContain("report.people:one");
    const next = await u.tap("report.people:one");
    expect(next.join("\n")).toContain(t("en", "report.minors.prompt"));
  });

  it("answers a stale button with 'menu expired' and the current step", async () => {
    const u = newUser();
    await u.text("/start");
    await u.tap("language:en");
    const menu = u.lastKeyboard();
    await u.tap("menu:report");
    const stale = await u.send(u.tapUpdate("menu:check", menu));
    expect(stale[0]).toBe(t("en", "common.expired"));
    expect(stale.join("\n")).toContain(t("en", "report.situation.prompt"));
  });

  it("refuses a file that is not accepted evidence and explains it in the flow", async () => {
    const u = newUser();
    await startReport(u);
    await reachEvidence(u);
    tg.fake.addFile("zip-1", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), "documents/file_9.zip");
    const replies = await u.send(
      u.message({
        document: {
          file_id: "zip-1",
          file_unique_id: "z1",
          file_name: "a.zip",
          mime_type: "application/zip",
        },
      }),
    );
    expect(replies[0]).toBe(t("en", "common.unsupported"));
    const key = pseudonym(tg.svc.keys.pseudonymKey, "telegram", u.chatId);
    expect(await prismaOf(tg.db).evidence.count({ where: { conversationKey: key } })).toBe(0);
  });

  it("ignores edited messages", async () => {
    const u = newUser();
    const replies = await u.send({
      edited_message: {
        message_id: 1,
        date: 1,
        edit_date: 2,
        chat: { id: u.chatId, type: "private" },
        text: "changed",
      },
    });
    expect(replies).toEqual([]);
  });

  it("sends every payload only to its own chat and never logs chat ids or names", async () => {
    for (const call of tg.fake.calls) {
      const own = call.payload.chat_id;
      const body = JSON.stringify(call.payload);
      for (const other of chats) {
        if (other !== own) expect(body, call.method).not.toContain(String(other));
      }
    }
    const logs = tg.logs.join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const chat of chats) expect(logs).not.toContain(String(chat));
    expect(logs).not.toMatch(/user7100|first_name|My cousin/);
  });
});

describe.each(databaseKinds())("Telegram channel with long polling (%s)", (kind) => {
  let tg: TelegramService;

  beforeAll(async () => {
    tg = await startTelegramService(kind, { TELEGRAM_MODE: "polling" });
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("deletes the webhook, polls the fake API and replies through the outbox", async () => {
    expect(tg.fake.callsTo("deleteWebhook").length).toBeGreaterThanOrEqual(1);
    expect(tg.fake.webhook).toBeUndefined();
    const u = tg.user(7_200_000_001);
    tg.fake.pushUpdate(u.message({ text: "/start" }));
    const reply = await tg.fake.waitFor((c) => c.method === "sendMessage" && c.payload.chat_id === u.chatId);
    expect(JSON.stringify(reply.payload.reply_markup)).toContain("language:en");
    tg.fake.pushUpdate(u.tapUpdate("language:en"));
    await tg.fake.waitFor(
      (c) =>
        c.method === "sendMessage" && JSON.stringify(c.payload.reply_markup ?? {}).includes("menu:report"),
    );
    expect(tg.fake.callsTo("answerCallbackQuery").length).toBeGreaterThanOrEqual(1);
  });

  it("dead-letters a reply to a chat that blocked the bot instead of retrying it", async () => {
    const blocked = 7_200_000_002;
    tg.fake.on("sendMessage", (p) =>
      p.chat_id === blocked
        ? { error_code: 403, description: "Forbidden: bot was blocked by the user" }
        : { message_id: 1, date: 1, chat: { id: p.chat_id, type: "private" }, text: p.text },
    );
    const u = tg.user(blocked);
    tg.fake.pushUpdate(u.message({ text: "/start" }));
    const key = pseudonym(tg.svc.keys.pseudonymKey, "telegram", blocked);
    for (let i = 0; i < 200; i++) {
      const dead = await prismaOf(tg.db).outboxMessage.count({ where: { targetKey: key, status: "dead" } });
      if (dead > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const rows = await prismaOf(tg.db).outboxMessage.findMany({ where: { targetKey: key } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["dead", 1]]);
    expect(rows[0]?.lastError).toContain("403");
    expect(
      tg.fake.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === blocked),
    ).toHaveLength(1);
  });

  it("retries an update whose transaction failed instead of skipping it", async () => {
    const u = tg.user(7_200_000_003);
    // Make every engine transaction fail for a moment, as a database outage would.
    await prismaOf(tg.db).$executeRawUnsafe("ALTER TABLE inbound_receipt RENAME TO inbound_receipt_away");
    try {
      tg.fake.pushUpdate(u.message({ text: "/start" }));
      await new Promise((r) => setTimeout(r, 1500));
      expect(tg.fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === u.chatId)).toHaveLength(0);
    } finally {
      await prismaOf(tg.db).$executeRawUnsafe("ALTER TABLE inbound_receipt_away RENAME TO inbound_receipt");
    }
    const reply = await tg.fake.waitFor(
      (c) => c.method === "sendMessage" && c.payload.chat_id === u.chatId,
      15_000,
    );
    expect(JSON.stringify(reply.payload.reply_markup)).toContain("language:en");
  });

  it("has no webhook route in polling mode", async () => {
    expect((await tg.post({ update_id: 1 })).status).toBe(404);
  });
});

describe("Telegram webhook registration", () => {
  it("registers the webhook with secret and allowed updates, and the command menu in both languages", async () => {
    const tg = await startTelegramService("pglite", { PUBLIC_URL: "https://bot.example.org" });
    try {
      expect(tg.fake.webhook).toEqual({
        url: "https://bot.example.org/telegram/webhook",
        secret_token: "test-webhook-secret_0123",
        allowed_updates: ["message", "callback_query", "my_chat_member"],
      });
      const menus = tg.fake.callsTo("setMyCommands").map((c) => c.payload as Record<string, unknown>);
      expect(menus.map((m) => m.language_code ?? "default")).toEqual(["default", "en"]);
      expect(menus[0]?.commands).toContainEqual({ command: "hapus", description: "Hapus percakapan ini" });
      expect(menus[1]?.commands).toContainEqual({
        command: "hapus",
        description: "Delete this conversation",
      });
    } finally {
      await tg.close();
    }
  });
});
