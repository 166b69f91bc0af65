import { afterEach, describe, expect, it } from "vitest";
import { agenciesFor, urgenciesSeenBy } from "../../../src/bot/officers/case-scope.ts";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { officerButtonId } from "../../../src/bot/officers/officer-commands.ts";
import { insertEscalationStep } from "../../../src/storage/escalations.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { CONTACTS_FIXTURE, type Harness, startHarness } from "./officers-harness.ts";
import {
  BP3MI_CHAT,
  criticalCaseWithEvidence,
  exchange,
  IMIGRASI_CHAT,
  normalCase,
  POLDA_CHAT,
  SCOPE_FIXTURE,
} from "./scope-harness.ts";

const UNKNOWN = "REF-2345-6789";

describe("case scope rules", () => {
  it("gives each urgency to the agencies of its policy tiers, and normal cases to policy.normal", () => {
    const c = loadContacts(SCOPE_FIXTURE);
    expect(agenciesFor(c, "critical")).toEqual(new Set(["polda-bali-renakta", "imigrasi-ngurah-rai"]));
    expect(agenciesFor(c, "high")).toEqual(new Set(["polda-bali-renakta"]));
    expect(agenciesFor(c, "normal")).toEqual(new Set(["imigrasi-ngurah-rai", "bp3mi-bali"]));
    expect(urgenciesSeenBy(c, "bp3mi-bali")).toEqual(["normal"]);
    expect(urgenciesSeenBy(c, "imigrasi-ngurah-rai")).toEqual(["critical", "normal"]);
  });

  it("gives normal cases to the agencies of the critical policy's first tier when policy.normal is absent", () => {
    const c = loadContacts(CONTACTS_FIXTURE);
    expect(c.policy.normal).toBeUndefined();
    expect(agenciesFor(c, "normal")).toEqual(new Set(["polda-bali-renakta"]));
    expect(urgenciesSeenBy(c, "bp3mi-bali")).toEqual([]);
  });
});

describe.each(databaseKinds())("officers see only their agencies' cases (%s)", (kind) => {
  let db: TestDatabase;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.svc.close();
    h = undefined;
    await db?.destroy();
  });

  it("denies an officer of another agency the case on every command and button, as for an unknown code, and audits it", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    const tries: { text?: string; buttonId?: string }[] = [
      { text: `/kasus ${code}` },
      { text: `/klaim ${code}` },
      { text: `/ack ${code}` },
      { text: `/catat ${code} catatan dari instansi lain` },
      { text: `/tanya ${code} pertanyaan dari instansi lain` },
      { text: `/status ${code} ditutup no_trafficking` },
      { buttonId: officerButtonId("ack", code) },
      { buttonId: officerButtonId("claim", code) },
      { buttonId: officerButtonId("ask", code) },
      { buttonId: officerButtonId("close", code) },
      { buttonId: officerButtonId("close", code, "victim_assisted") },
    ];
    for (const attempt of tries) {
      const { routing, answers, texts } = await exchange(h, BP3MI_CHAT, attempt);
      expect(routing).toBe("handled");
      expect(answers.map((m) => m.type)).toEqual(["text"]);
      // Word for word the answer to a code that does not exist.
      const twin = await exchange(h, BP3MI_CHAT, {
        ...(attempt.text ? { text: attempt.text.replace(code, UNKNOWN) } : {}),
        ...(attempt.buttonId ? { buttonId: attempt.buttonId.replace(code, UNKNOWN) } : {}),
      });
      expect(texts).toEqual(twin.texts.map((t) => t.replaceAll(UNKNOWN, code)));
    }
    // The ask button did not leave a pending question: the next message is not relayed.
    expect((await exchange(h, BP3MI_CHAT, { text: "halo" })).routing).toBe("user");

    const list = await exchange(h, BP3MI_CHAT, { text: "/kasus" });
    expect(list.texts[0]).not.toContain(code);

    const p = prismaOf(db);
    const report = await p.report.findUniqueOrThrow({ where: { code } });
    expect(report).toMatchObject({ status: "received", assignedOfficerId: null, outcome: null });
    expect(await p.caseMessage.count({ where: { reportId: report.id } })).toBe(0);
    expect((await p.escalation.findMany({ where: { reportId: report.id } })).map((e) => e.status)).toEqual([
      "notified",
    ]);
    const audit = await p.auditEvent.findMany({ where: { actor: "bp-1" }, orderBy: { id: "asc" } });
    expect(audit.filter((a) => a.action === "case.denied")).toHaveLength(tries.length);
    expect(audit.every((a) => a.action === "case.denied" || a.action === "case.listed")).toBe(true);
    expect(audit.filter((a) => a.action === "case.denied").every((a) => a.reportId === report.id)).toBe(true);

    // The responsible agencies see it: Polda (tier 0) and Imigrasi (tier 1), files included.
    for (const chat of [POLDA_CHAT, IMIGRASI_CHAT]) {
      expect((await exchange(h, chat, { text: "/kasus" })).texts[0]).toContain(code);
      const detail = await exchange(h, chat, { text: `/kasus ${code}` });
      expect(detail.answers.map((m) => m.type)).toEqual(["text", "file"]);
    }
  }, 90_000);

  it("lets an officer the case was escalated to see it although their agency is not responsible for it", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    // A step notified under an earlier policy that named BP3MI's officer.
    await db.transaction((tx) =>
      insertEscalationStep(tx, {
        reportId: report.id,
        tier: 5,
        round: 0,
        officerIds: ["bp-1"],
        notifiedAt: new Date(),
        dueAt: new Date(Date.now() + 600_000),
      }),
    );
    expect((await exchange(h, BP3MI_CHAT, { text: "/kasus" })).texts[0]).toContain(code);
    const detail = await exchange(h, BP3MI_CHAT, { text: `/kasus ${code}` });
    expect(detail.answers.map((m) => m.type)).toEqual(["text", "file"]);
    expect((await exchange(h, BP3MI_CHAT, { text: `/klaim ${code}` })).texts[0]).toContain("menangani");
  }, 90_000);

  it("shows normal cases only to the agencies policy.normal names", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    await normalCase(h, "REF-NRMA-2222", new Date());
    expect((await exchange(h, BP3MI_CHAT, { text: "/kasus" })).texts[0]).toContain("REF-NRMA-2222");
    expect((await exchange(h, IMIGRASI_CHAT, { text: "/kasus" })).texts[0]).toContain("REF-NRMA-2222");
    expect((await exchange(h, POLDA_CHAT, { text: "/kasus" })).texts[0]).not.toContain("REF-NRMA-2222");
    const claim = await exchange(h, POLDA_CHAT, { text: "/klaim REF-NRMA-2222" });
    expect(claim.texts).toEqual(["Kasus REF-NRMA-2222 tidak ditemukan."]);
    expect((await exchange(h, BP3MI_CHAT, { text: "/klaim REF-NRMA-2222" })).texts[0]).toContain("menangani");
  }, 90_000);
});
