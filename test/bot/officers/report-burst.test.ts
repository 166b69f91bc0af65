import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { type Harness, reporter, startHarness } from "./officers-harness.ts";

describe.each(databaseKinds())("a burst of reports from one sender (%s)", (kind) => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.svc.close();
    await db?.destroy();
  });

  /** A report with a withheld passport and forced work but no danger now: urgency high. */
  async function fileHighReport(r: ReturnType<typeof reporter>): Promise<void> {
    await r.command("menu");
    for (const step of [
      () => r.choose("menu:report"),
      () => r.choose("report.situation:scam_compound"),
      () => r.text("Kamboja"),
      () => r.text("Phnom Penh"),
      () => r.choose("report.location:skip"),
      () => r.choose("report.when:week"),
      () => r.choose("report.people:one"),
      () => r.choose("report.minors:no"),
      () => r.choose("report.danger:no"),
      () => r.choose("report.confined:no"),
      () => r.choose("report.passport:yes"),
      () => r.choose("report.forced:yes"),
      () => r.choose("report.departure:no"),
      () => r.text("Paspor saya ditahan agen."),
      () => r.choose("report.narrative:done"),
      () => r.text("PT Contoh Jaya"),
      () => r.choose("report.evidence:skip"),
      () => r.choose("report.consent:no"),
      () => r.choose("report.review:confirm"),
    ]) {
      await step();
    }
  }

  it("stores six reports filed within a minute but escalates them once", async () => {
    const r = reporter(h);
    await r.send({ type: "command", command: "start" });
    await r.choose("language:id");
    for (let i = 0; i < 6; i++) await fileHighReport(r);
    const p = prismaOf(h.svc.db);
    const reports = await p.report.findMany({ select: { id: true, urgency: true } });
    expect(reports).toHaveLength(6);
    expect(reports.map((x) => x.urgency)).toEqual(Array(6).fill("high"));
    // The one escalated case may climb its ladder (the fixture's timeouts are short); only one case does.
    const escalated = await p.escalation.findMany({ distinct: ["reportId"], select: { reportId: true } });
    expect(escalated).toHaveLength(1);
    expect(await p.auditEvent.count({ where: { action: "escalation.grouped" } })).toBe(5);
  });
});
