import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContacts } from "../../src/bot/officers/contacts.ts";
import { officersPlugin } from "../../src/bot/officers/officers-plugin.ts";
import { t } from "../../src/flows/content/catalog.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds } from "../helpers/databases.ts";
import {
  startTelegramService,
  type TelegramService,
  type TelegramUser,
} from "../helpers/telegram-service.ts";

const CONTACTS = "test/fixtures/contacts/escalation.yaml";
const OFFICER_CHAT = 900000001;

/** Files one report from the menu in English; `danger` answers "is anyone in danger now". */
async function fileReport(u: TelegramUser, story: string, danger: "yes" | "no" = "no"): Promise<string> {
  await u.tap("menu:report");
  await u.tap("report.situation:recruitment_fraud");
  await u.tap("report.country:indonesia");
  await u.tap("report.city:skip");
  await u.tap("report.location:skip");
  await u.tap("report.when:week");
  await u.tap("report.people:one");
  await u.tap("report.minors:no");
  await u.tap(`report.danger:${danger}`);
  for (const step of ["confined", "passport", "forced", "departure"]) await u.tap(`report.${step}:no`);
  await u.text(story);
  await u.tap("report.narrative:done");
  await u.text("PT Contoh Jaya");
  await u.tap("report.evidence:skip");
  await u.tap("report.consent:no");
  return (await u.tap("report.review:confirm")).join("\n");
}

describe.each(databaseKinds())("reports a day per sender (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(
      kind,
      { CONTACTS_FILE: CONTACTS, LIMIT_REPORTS_PER_DAY: "2", LIMIT_MESSAGES_PER_MINUTE: "1000" },
      { plugins: (config) => [officersPlugin({ contacts: loadContacts(config.CONTACTS_FILE) })] },
    );
  });
  afterAll(async () => {
    await tg?.close();
  });

  const reports = () =>
    prismaOf(tg.db).report.findMany({ select: { id: true, urgency: true }, orderBy: { createdAt: "asc" } });

  it("does not file a third normal report, says so with the emergency numbers, and always files danger", async () => {
    const u = tg.user(7_600_000_001);
    await u.text("/start");
    await u.tap("language:en");
    for (const n of [1, 2]) {
      expect(await fileReport(u, `An agent asked me for a fee before the job, number ${n}.`)).toMatch(
        /REF-[A-Z0-9]{4}-[A-Z0-9]{4}/,
      );
    }
    expect((await reports()).map((r) => r.urgency)).toEqual(["normal", "normal"]);

    const third = await fileReport(u, "Another agent asked me for a fee too.");
    const limited = t("en", "report.limited");
    expect(third).toContain(limited);
    expect(third).not.toMatch(/REF-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const police = /police (\d+)/.exec(limited)?.[1];
    expect(police).toBeDefined();
    expect(limited).toContain(t("en", "menu.options.status"));
    expect(await reports()).toHaveLength(2);
    // Back at the menu, nothing of the refused report kept.
    expect(u.lastKeyboard().buttons.map((b) => b.callback_data)).toContain("menu:report");

    const critical = await fileReport(u, "She cannot leave the house.", "yes");
    expect(critical).toMatch(/REF-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const typed = await fileReport(u, "My sister is locked in the dorm right now and cannot get out.");
    expect(typed).toMatch(/REF-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    const stored = await reports();
    expect(stored.map((r) => r.urgency)).toEqual(["normal", "normal", "critical", "critical"]);
    const escalated = await prismaOf(tg.db).escalation.findMany({
      where: { reportId: { in: [stored[2]!.id, stored[3]!.id] } },
      distinct: ["reportId"],
    });
    expect(escalated).toHaveLength(2);
    await tg.fake.waitFor((c) => c.method === "sendMessage" && c.payload.chat_id === OFFICER_CHAT);

    // Another sender files as usual.
    const other = tg.user(7_600_000_002);
    await other.text("/start");
    await other.tap("language:en");
    expect(await fileReport(other, "An agent asked my cousin for a fee.")).toMatch(/REF-/);
  }, 180_000);
});
