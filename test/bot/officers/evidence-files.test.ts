import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramClient } from "../../../src/bot/channels/telegram/telegram-client.ts";
import { TelegramSender } from "../../../src/bot/channels/telegram/telegram-sender.ts";
import { storeEvidence } from "../../../src/bot/evidence.ts";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { officersPlugin } from "../../../src/bot/officers/officers-plugin.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../helpers/databases.ts";
import { FAKE_BOT_INFO, type RecordedCall, type Upload } from "../../helpers/fake-telegram.ts";
import { WebhookChat, walkCriticalReport } from "../../helpers/report-walk.ts";
import { samplePdf } from "../../helpers/sample-files.ts";
import {
  startTelegramService,
  TEST_BOT_TOKEN,
  TEST_WEBHOOK_SECRET,
  type TelegramService,
} from "../../helpers/telegram-service.ts";
import { CONTACTS_FIXTURE, OFF2_CHAT } from "./officers-harness.ts";

/** A Telegram user who is not in the contacts file. */
const STRANGER_CHAT = 730000099;

const isFile = (c: RecordedCall) => c.method === "sendPhoto" || c.method === "sendDocument";

/** A multipart upload carries `chat_id` as text. */
const chatOf = (c: RecordedCall) => Number(c.payload.chat_id);

function upload(call: RecordedCall): Upload {
  const field = call.method === "sendPhoto" ? call.payload.photo : call.payload.document;
  return field as Upload;
}

describe.each(databaseKinds())("case detail delivers the evidence as files over Telegram (%s)", (kind) => {
  let tg: TelegramService;

  beforeAll(async () => {
    tg = await startTelegramService(
      kind,
      { CONTACTS_FILE: CONTACTS_FIXTURE },
      { plugins: (config) => [officersPlugin({ contacts: loadContacts(config.CONTACTS_FILE) })] },
    );
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("sends a photo and a PDF to the officer who asks, audited, and nothing to anyone else", async () => {
    const chat = new WebhookChat(100000031, tg.fake, {
      url: `${tg.url}/telegram/webhook`,
      secret: TEST_WEBHOOK_SECRET,
    });
    const { code } = await walkCriticalReport(chat);
    const report = await prismaOf(tg.db).report.findUniqueOrThrow({ where: { code } });

    // The same storage path as an upload in the flow: the photo is re-encoded, the PDF rebuilt.
    const key = "evidence-files-test";
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#aa3366" } })
      .png()
      .toBuffer();
    const pdf = await samplePdf();
    const photo = await storeEvidence(tg.db, tg.svc.sealer, key, { bytes: png, mime: "image/png" });
    const doc = await storeEvidence(tg.db, tg.svc.sealer, key, { bytes: pdf, mime: "application/pdf" });
    if (!photo.ok || !doc.ok) throw new Error("evidence not stored");
    await prismaOf(tg.db).evidence.updateMany({
      where: { id: { in: [photo.id, doc.id] } },
      data: { reportId: report.id, conversationKey: null },
    });
    await prismaOf(tg.db).evidence.update({
      where: { id: doc.id },
      data: { createdAt: new Date(Date.now() + 1000) },
    });

    // A non-officer asking for the case gets the user menu, no files.
    await tg.user(STRANGER_CHAT).text(`/kasus ${code}`);
    await tg.settle();
    expect(tg.fake.calls.filter((c) => isFile(c) && chatOf(c) === STRANGER_CHAT)).toEqual([]);

    const officer = tg.user(OFF2_CHAT);
    const texts = await officer.text(`/kasus ${code}`);
    expect(texts.some((t) => t.includes(code) && t.includes("Bukti: 2 berkas"))).toBe(true);
    const files = tg.fake.calls.filter((c) => isFile(c) && c.status === 200);
    expect(files.map((c) => [c.method, chatOf(c)])).toEqual([
      ["sendPhoto", OFF2_CHAT],
      ["sendDocument", OFF2_CHAT],
    ]);
    const stored = await prismaOf(tg.db).evidence.findMany({ where: { reportId: report.id } });
    const size = (id: string) => stored.find((e) => e.id === id)!.size;
    expect(upload(files[0]!)).toMatchObject({ file: `${code}-1.jpg`, size: size(photo.id) });
    expect(upload(files[1]!)).toMatchObject({ file: `${code}-2.pdf`, size: size(doc.id) });
    expect(size(doc.id)).toBe(doc.size);
    for (const call of files) {
      expect(String(call.payload.caption)).toContain(code);
      expect(JSON.stringify(call.payload)).not.toContain(photo.id);
    }
    const outbox = await prismaOf(tg.db).outboxMessage.findMany({ where: { purpose: "officer.evidence" } });
    expect(outbox).toHaveLength(2);
    for (const row of outbox) expect(row.status).toBe("sent");

    const audit = await prismaOf(tg.db).auditEvent.findMany({ where: { action: "evidence.sent" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "off-2", reportId: report.id, details: { count: 2 } });
    // Nothing else got a file: not the reporter, not the stranger, not the tier-1 officer.
    expect(tg.fake.calls.filter((c) => isFile(c) && chatOf(c) !== OFF2_CHAT)).toEqual([]);
  });

  it("sends a short text instead of a file whose evidence was purged, without failing", async () => {
    const client = new TelegramClient({
      token: TEST_BOT_TOKEN,
      apiRoot: tg.fake.apiRoot,
      botInfo: FAKE_BOT_INFO,
    });
    const sender = new TelegramSender(client, tg.db, tg.svc.sealer);
    const before = tg.fake.calls.length;
    const result = await sender.send(
      { chatId: OFF2_CHAT },
      { type: "file", ref: "00000000-0000-4000-8000-000000000000", name: "TPPO-AAAA-BBBB-3" },
      { idempotencyKey: "purged-1", targetKey: "officer-chat" },
    );
    const calls = tg.fake.calls.slice(before);
    expect(calls.map((c) => [c.method, c.status, chatOf(c)])).toEqual([["sendMessage", 200, OFF2_CHAT]]);
    expect(calls[0]!.payload.text).toBe("TPPO-AAAA-BBBB-3: Berkas tidak tersedia lagi.");
    expect(result?.externalId).toBeDefined();
  });
});
