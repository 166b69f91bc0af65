import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";

const jpeg = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: "#2a7" } })
    .jpeg()
    .toBuffer();

describe.each(databaseKinds())("per-sender limits on Telegram (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(kind, { LIMIT_MESSAGES_PER_MINUTE: "4" });
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("answers a flood once, calmly and with the emergency numbers, and still answers a typed cry for help", async () => {
    const u = tg.user(7_400_000_001);
    const limited = t("id", "common.limited");
    const replies: string[][] = [];
    for (let i = 0; i < 4; i++) replies.push(await u.text(`halo ${i}`));
    expect(replies.flat().join("\n")).not.toContain(limited);
    const fifth = await u.text("halo lagi");
    expect(fifth).toEqual([limited]);
    expect(limited).toMatch(/\d{3}/);
    expect(await u.text("halo lagi dan lagi")).toEqual([]);
    const cry = await u.text("tolongggg adik sy di kamboja dikurung di gedung gk bs keluar");
    expect(cry.length).toBeGreaterThan(0);
    const police = /polisi (\d+)/.exec(limited)?.[1];
    expect(police).toBeDefined();
    expect(cry.join("\n")).toContain(police);
    // Another sender is not limited by this one.
    expect((await tg.user(7_400_000_002).text("halo")).join("\n")).not.toContain(limited);
  });

  it("does not count a redelivered update against the limit, below it or at it", async () => {
    const u = tg.user(7_400_000_003);
    const limited = t("id", "common.limited");
    const sent = () => u.sent().length;
    let updateId = 910_000_000;
    // Posts one update as Telegram does, and posts it again as Telegram does after a failed answer.
    const deliverTwice = async (text: string) => {
      const update = { update_id: ++updateId, ...u.message({ text }) };
      expect((await tg.post(update)).status).toBe(200);
      await tg.settle();
      const before = sent();
      expect((await tg.post(update)).status).toBe(200);
      await tg.settle();
      expect(sent()).toBe(before);
    };
    await u.text("halo 1");
    await u.text("halo 2");
    await deliverTwice("halo 3");
    await deliverTwice("halo 4");
    // Four messages, each counted once: the fifth is the first over the limit and gets the calm answer.
    const before = sent();
    await u.text("halo 5");
    expect(
      u
        .sent()
        .slice(before)
        .map((c) => c.payload.text),
    ).toEqual([limited]);
  });

  it("downloads no file sent past the limit, even where files are asked for", async () => {
    const files = await startTelegramService(kind, { LIMIT_MESSAGES_PER_MINUTE: "24" });
    try {
      const u = files.user(7_400_000_004);
      const limited = t("en", "common.limited");
      await u.text("/start");
      await u.tap("language:en");
      await u.tap("menu:report");
      for (const tap of ["situation:recruitment_fraud", "country:indonesia", "city:skip", "location:skip"])
        await u.tap(`report.${tap}`);
      await u.tap("report.when:week");
      await u.tap("report.people:one");
      for (const step of ["minors", "danger", "confined", "passport", "forced", "departure"])
        await u.tap(`report.${step}:no`);
      await u.text("An agent promised a hotel job and asked for a fee first.");
      await u.tap("report.narrative:done");
      await u.text("PT Contoh Jaya");
      // At the evidence step: photos are fetched until the limit, then not one more.
      const fetched = (id: string) => files.fake.callsTo("getFile").filter((c) => c.payload.file_id === id);
      const photo = (id: string) =>
        u.send(u.message({ photo: [{ file_id: id, file_unique_id: `u-${id}`, width: 32, height: 24 }] }));
      let first: string | undefined;
      for (let i = 0; i < 10 && first === undefined; i++) {
        const id = `limit-photo-${i}`;
        files.fake.addFile(id, await jpeg(), `photos/${id}.jpg`);
        const answer = await photo(id);
        if (answer.join("\n") === limited) first = id;
        else expect(fetched(id)).toHaveLength(1);
      }
      expect(first).toBeDefined();
      expect(fetched(first!)).toEqual([]);
      files.fake.addFile("limit-photo-after", await jpeg(), "photos/after.jpg");
      expect(await photo("limit-photo-after")).toEqual([]);
      expect(fetched("limit-photo-after")).toEqual([]);
    } finally {
      await files.close();
    }
  });
});
