import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";

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
});
