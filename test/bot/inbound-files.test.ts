import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { pseudonym } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds } from "../helpers/databases.ts";
import {
  startTelegramService,
  type TelegramService,
  type TelegramUser,
} from "../helpers/telegram-service.ts";
import {
  bodyText,
  newWaId,
  startWhatsAppService,
  type WhatsAppTestService,
} from "../helpers/whatsapp-service.ts";

/** Files are fetched and stored only where a step asks for them (the `accepts_files` state tag). */

const jpeg = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: "#2a7" } })
    .jpeg()
    .toBuffer();

const photo = (u: TelegramUser, fileId: string) =>
  u.send(u.message({ photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 32, height: 24 }] }));

describe.each(databaseKinds())("files on Telegram (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  const evidenceOf = (u: TelegramUser) =>
    prismaOf(tg.db).evidence.findMany({
      where: { conversationKey: pseudonym(tg.svc.keys.pseudonymKey, "telegram", u.chatId) },
    });
  const fetched = (fileId: string) => tg.fake.callsTo("getFile").filter((c) => c.payload.file_id === fileId);

  it("downloads and stores nothing for a photo sent at the main menu, and says where files can be sent", async () => {
    const u = tg.user(7_500_000_001);
    await u.text("/start");
    await u.tap("language:en");
    tg.fake.addFile("menu-photo", await jpeg(), "photos/menu.jpg");
    const answer = await photo(u, "menu-photo");
    expect(answer.join("\n")).toContain(t("en", "common.media_unexpected"));
    expect(fetched("menu-photo")).toEqual([]);
    expect(await evidenceOf(u)).toEqual([]);
    // The conversation goes on where it was: the menu is shown again.
    expect(u.lastKeyboard().buttons.map((b) => b.callback_data)).toContain("menu:report");
  });

  it("stores a photo at a report's evidence step and one added to the filed report with code and PIN", async () => {
    const u = tg.user(7_500_000_002);
    await u.text("/start");
    await u.tap("language:en");
    await u.tap("menu:report");
    for (const tap of ["situation:recruitment_fraud", "country:indonesia", "city:skip", "location:skip"]) {
      await u.tap(`report.${tap}`);
    }
    await u.tap("report.when:week");
    await u.tap("report.people:one");
    for (const step of ["minors", "danger", "confined", "passport", "forced", "departure"]) {
      await u.tap(`report.${step}:no`);
    }
    await u.text("An agent promised a hotel job and asked for a fee first.");
    await u.tap("report.narrative:done");
    // A photo before the evidence step is not taken.
    tg.fake.addFile("early-photo", await jpeg(), "photos/early.jpg");
    expect((await photo(u, "early-photo")).join("\n")).toContain(t("en", "common.media_unexpected"));
    expect(fetched("early-photo")).toEqual([]);
    await u.text("PT Contoh Jaya");

    tg.fake.addFile("evidence-photo", await jpeg(), "photos/evidence.jpg");
    await photo(u, "evidence-photo");
    expect(fetched("evidence-photo")).toHaveLength(1);
    expect(await evidenceOf(u)).toHaveLength(1);
    await u.tap("report.evidence:done");
    await u.tap("report.consent:no");
    const stored = (await u.tap("report.review:confirm")).join("\n");
    const code = /REF-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(stored)?.[0];
    const pin = /PIN: (\d{6})/.exec(stored)?.[1];
    expect(code && pin).toBeTruthy();

    await u.tap("menu:status");
    await u.text(code!);
    await u.text(pin!);
    await u.tap("status.open:add");
    tg.fake.addFile("later-photo", await jpeg(), "photos/later.jpg");
    await photo(u, "later-photo");
    expect(fetched("later-photo")).toHaveLength(1);
    const report = await prismaOf(tg.db).report.findUniqueOrThrow({ where: { code: code! } });
    const evidence = await evidenceOf(u);
    expect(evidence).toHaveLength(2);
    expect(evidence.map((e) => e.reportId)).toEqual([report.id, report.id]);
  });
});

describe.each(databaseKinds())("files on WhatsApp (%s)", (kind) => {
  let wa: WhatsAppTestService;
  beforeAll(async () => {
    wa = await startWhatsAppService(kind);
  });
  afterAll(async () => {
    await wa?.close();
  });

  it("looks up and downloads nothing for a document sent at the main menu, and stores no evidence", async () => {
    const waId = newWaId();
    await wa.text(waId, "/start");
    await wa.settle(waId);
    await wa.pick(waId, "language:id");
    await wa.settle(waId);
    wa.graph.addMedia("media-menu-doc", new Uint8Array(await jpeg()), "image/jpeg");
    const before = wa.graph.calls.length;
    await wa.deliver(waId, {
      type: "document",
      document: { id: "media-menu-doc", mime_type: "image/jpeg", filename: "kontrak.jpg" },
    });
    const answer = (await wa.settle(waId)).map(bodyText).join("\n");
    expect(answer).toContain(t("id", "common.media_unexpected"));
    expect(wa.graph.calls.slice(before).filter((c) => c.path.includes("media-menu-doc"))).toEqual([]);
    expect(await prismaOf(wa.db).evidence.count({ where: { conversationKey: wa.keyOf(waId) } })).toBe(0);
  });
});
