import { afterEach, describe, expect, it } from "vitest";
import { ESCALATION_QUEUE } from "../../../src/bot/officers/escalation.ts";
import { officerButtonId } from "../../../src/bot/officers/officer-commands.ts";
import { dailyCronUtc } from "../../../src/bot/officers/zoned-time.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import {
  Deliveries,
  type Harness,
  OFF1_CHAT,
  OFF2_CHAT,
  officerMessage,
  reporter,
  sleep,
  startHarness,
  until,
} from "./officers-harness.ts";

const OFF1 = { chatId: OFF1_CHAT };
const OFF2 = { chatId: OFF2_CHAT };

async function submitCritical(h: Harness): Promise<{ code: string }> {
  const r = reporter(h);
  await r.fillCriticalReport();
  await r.choose("report.review:confirm");
  const report = await prismaOf(h.svc.db).report.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
  return { code: report.code };
}

describe.each(databaseKinds())("escalation (%s)", (kind) => {
  let db: TestDatabase;
  let harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses) await h.svc.close();
    harnesses = [];
    await db?.destroy();
  });
  const start = async (opts: Parameters<typeof startHarness>[1] = {}) => {
    const h = await startHarness(db, opts);
    harnesses.push(h);
    return h;
  };

  it("alerts the tier-1 officer at once, in the reporter's own transaction, then tier 2 after the 1 s timeout", async () => {
    db = await openTestDatabase(kind);
    const h = await start();
    const { code } = await submitCritical(h);
    // The alert was committed with the report (not left to a delayed job): it is in the outbox already.
    expect(
      await prismaOf(h.svc.db).outboxMessage.count({ where: { purpose: "officer.notify" } }),
    ).toBeGreaterThan(0);
    await until(() => h.deliveries.to(OFF1).length > 0, 5000);
    const first = h.deliveries.to(OFF1)[0]!;
    expect(first.message.type === "text" && first.message.text).toContain(`LAPORAN TPPO KRITIS: ${code}`);
    expect(first.message.type === "text" && first.message.choices?.map((c) => c.id)).toEqual([
      officerButtonId("ack", code),
      officerButtonId("claim", code),
      officerButtonId("ask", code),
      officerButtonId("close", code),
    ]);
    expect(h.deliveries.to(OFF2)).toHaveLength(0);

    await until(() => h.deliveries.to(OFF2).length > 0, 5000);
    expect(h.deliveries.texts(OFF2)[0]).toContain("Eskalasi tingkat 2");
    // Tier 2 does not acknowledge either: the ladder is exhausted and everyone gets one final alert.
    await until(() => h.deliveries.texts(OFF1).some((t) => t.startsWith("PERHATIAN")), 5000);
    await until(() => h.deliveries.texts(OFF2).some((t) => t.startsWith("PERHATIAN")), 5000);
    const steps = await prismaOf(db).escalation.findMany({ orderBy: { tier: "asc" } });
    expect(steps.map((s) => [s.tier, s.round, s.status, s.officerIds])).toEqual([
      [0, 0, "superseded", ["off-1"]],
      [1, 0, "exhausted", ["off-2"]],
    ]);
    const actions = (await prismaOf(db).auditEvent.findMany({ orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual([
      "report.submitted",
      "escalation.notified",
      "escalation.unacknowledged",
      "escalation.notified",
      "escalation.exhausted",
    ]);
  });

  it("stops escalating when the tier-1 officer presses Terima (acknowledge)", async () => {
    db = await openTestDatabase(kind);
    const h = await start();
    const { code } = await submitCritical(h);
    await until(() => h.deliveries.to(OFF1).length > 0, 2000);
    const routed = await h.gateway.route(
      officerMessage(OFF1_CHAT, { buttonId: officerButtonId("ack", code) }),
    );
    expect(routed).toBe("handled");
    await until(() => h.deliveries.texts(OFF1).some((t) => t.startsWith(`Diterima: ${code}`)), 2000);
    await sleep(2500);
    expect(h.deliveries.to(OFF2)).toHaveLength(0);
    const [step] = await prismaOf(db).escalation.findMany();
    expect(step).toMatchObject({ tier: 0, status: "acknowledged", ackedBy: "off-1" });
    expect(
      await prismaOf(db).auditEvent.count({ where: { action: "escalation.acknowledged", actor: "off-1" } }),
    ).toBe(1);
  });

  it("notifies tier 2 exactly once after a restart between submission and timeout, and a repeated job adds nothing", async () => {
    db = await openTestDatabase(kind);
    const deliveries = new Deliveries();
    const first = await start({ deliveries });
    const { code } = await submitCritical(first);
    await first.svc.close();
    harnesses = [];
    // Same database and keys, a new service (the job lives in the database, not in memory).
    const second = await start({ deliveries, keys: first.keys });
    await until(() => deliveries.to(OFF2).length > 0, 6000);
    // Simulate at-least-once delivery: the tier-1 step's job runs again.
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    await second.svc.jobs.sendNow(ESCALATION_QUEUE, { reportId: report.id, tier: 0, round: 0 });
    await sleep(1500);
    const tier2 = deliveries.texts(OFF2).filter((t) => t.includes(`LAPORAN TPPO KRITIS: ${code}`));
    expect(tier2).toHaveLength(1);
    const tier1 = deliveries.texts(OFF1).filter((t) => t.includes(`LAPORAN TPPO KRITIS: ${code}`));
    expect(tier1).toHaveLength(1);
    expect(await prismaOf(db).escalation.count({ where: { tier: 1 } })).toBe(1);
  });
});

describe("daily digest schedule", () => {
  it("turns a WITA time into a UTC cron expression", () => {
    expect(dailyCronUtc("08:00", "Asia/Makassar")).toBe("0 0 * * *");
    expect(dailyCronUtc("07:30", "Asia/Makassar")).toBe("30 23 * * *");
    expect(dailyCronUtc("08:00", "UTC")).toBe("0 8 * * *");
  });
});
