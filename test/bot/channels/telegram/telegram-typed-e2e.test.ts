import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";

/** People type instead of tapping: the real webhook, the real flows, a fake Bot API. */
describe.each(databaseKinds())("Telegram, typed messages (%s)", (kind) => {
  let tg: TelegramService;
  let nextChat = 7_300_000_001;
  const newUser = () => tg.user(nextChat++);

  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("answers a typed cry for help as the very first message with 110, 112 and SAPA 129 first", async () => {
    const u = newUser();
    const replies = await u.text("tolong kakak sy gk boleh pulang, hp nya disita majikan di denpasar");
    expect(replies[0]).toBe(t("id", "typed.danger.indonesia"));
    // Who this is, without repeating the short danger line of the intro.
    expect(replies.join("\n")).toContain(t("id", "typed.intro").split("\n\n").slice(1).join("\n\n"));
    expect(u.lastKeyboard().buttons.map((b) => b.callback_data)).toEqual([
      "pending.story:report",
      "pending.story:no",
    ]);
  });

  it("gives someone abroad the KP2MI line from abroad and Safe Travel first, in English", async () => {
    const u = newUser();
    const replies = await u.text(
      "please help, my sister is locked in a room in Dubai and they took her phone",
    );
    expect(replies[0]).toBe(t("en", "typed.danger.abroad"));
    expect(replies[0]).toContain("+62-21-29244800");
    expect(replies[0]).not.toContain("110 (");
  });

  it("brings the numbers first at the menu and in the middle of the offer check, and keeps the check", async () => {
    const u = newUser();
    await u.text("/start");
    await u.tap("language:id");
    const atMenu = await u.text("adik sy dikurung di mess agen di surabaya");
    expect(atMenu[0]).toBe(t("id", "typed.danger.indonesia"));
    await u.tap("pending.story:no");
    await u.tap("menu:check");
    await u.text("Malaysia");
    const midCheck = await u.text("tolong adik sy disekap agen di johor, gk boleh keluar");
    expect(midCheck[0]).toBe(t("id", "typed.danger.abroad"));
    const continued = await u.tap("pending.danger:continue");
    expect(continued.join("\n")).toContain(t("id", "migration.questions.agency"));
  });

  it("starts a report from a story typed at the menu, and the review holds the story", async () => {
    const u = newUser();
    await u.text("/start");
    await u.tap("language:id");
    const story = "adik sy ditipu agen PT Contoh Jaya, udah bayar 20jt tapi gk jadi berangkat ke jepang";
    const offer = await u.text(story);
    expect(offer.join("\n")).toContain(t("id", "report.situation.options.recruitment_fraud"));
    await u.tap("pending.story:report");
    for (const id of [
      "report.country:indonesia",
      "report.city:skip",
      "report.location:skip",
      "report.when:earlier",
    ]) {
      await u.tap(id);
    }
    await u.tap("report.people:one");
    for (const step of ["minors", "danger", "confined", "passport", "forced", "departure"]) {
      await u.tap(`report.${step}:no`);
    }
    // The recruiter the story names is taken from it, not asked again.
    const next = await u.tap("report.narrative:done");
    expect(next.join("\n")).not.toContain(t("id", "report.recruiter.prompt"));
    await u.tap("report.evidence:skip");
    const review = await u.tap("report.consent:no");
    expect(review.join("\n")).toContain(story);
    expect(review.join("\n")).toContain("PT Contoh Jaya");
  });

  it("answers a typed question and starts the status check from a typed code", async () => {
    const u = newUser();
    await u.text("/start");
    await u.tap("language:id");
    const answer = await u.text("gmn cara cek agen resmi gk?");
    expect(answer.join("\n")).toContain("SISKOP2MI");
    const status = await u.text("mau cek laporan TPPO-7K3M-9QX2");
    expect(status.join("\n")).toContain(t("id", "status.pin.prompt"));
  });
});
