import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignCase, type CaseUrgency, insertCase, listOpenCases } from "../../src/storage/cases.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import { insertEscalationStep } from "../../src/storage/escalations.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

/** `listOpenCases` with an access filter, on every database the service runs on. */
describe.each(databaseKinds())("open cases by access on %s", (kind) => {
  let db: TestDatabase;
  const sealer = new Sealer([randomBytes(32)]);
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const stored = (code: string, urgency: CaseUrgency) =>
    db.transaction((tx) =>
      insertCase(tx, {
        id: randomUUID(),
        code,
        pinHash: "scrypt$test",
        urgency,
        reasons: [],
        situation: "other",
        country: null,
        contentSealed: sealer.sealJson({ fake: true }),
        consentContact: false,
        conversationKey: null,
        createdAt: new Date(),
      }),
    );

  it("lists the urgencies an officer sees, their assigned and escalated cases, and for several officers only what all may see", async () => {
    await stored("REF-ACCS-NRM2", "normal");
    await stored("REF-ACCS-CRT2", "critical");
    const assigned = await stored("REF-ACCS-ASG2", "high");
    const escalated = await stored("REF-ACCS-ESC2", "high");
    await db.transaction(async (tx) => {
      await assignCase(tx, assigned, "off-a");
      await insertEscalationStep(tx, {
        reportId: escalated,
        tier: 0,
        round: 0,
        officerIds: ["off-x", "off-a"],
        notifiedAt: new Date(),
        dueAt: new Date(),
      });
    });
    const codes = async (access: Parameters<typeof listOpenCases>[2]) =>
      (await db.transaction((tx) => listOpenCases(tx, 200, access))).map((c) => c.code).sort();

    expect(await codes([{ officerId: "off-a", urgencies: ["normal"] }])).toEqual([
      "REF-ACCS-ASG2",
      "REF-ACCS-ESC2",
      "REF-ACCS-NRM2",
    ]);
    expect(await codes([{ officerId: "off-b", urgencies: ["critical", "high"] }])).toEqual([
      "REF-ACCS-ASG2",
      "REF-ACCS-CRT2",
      "REF-ACCS-ESC2",
    ]);
    expect(await codes([{ officerId: "off-c", urgencies: [] }])).toEqual([]);
    expect(
      await codes([
        { officerId: "off-a", urgencies: ["normal"] },
        { officerId: "group-b", urgencies: ["critical", "high"] },
      ]),
    ).toEqual(["REF-ACCS-ASG2", "REF-ACCS-ESC2"]);
    expect(await codes(undefined)).toHaveLength(4);
  });
});
