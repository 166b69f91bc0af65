import { afterEach, describe, expect, it } from "vitest";
import { createInvite } from "../../../src/bot/officers/admin-commands.ts";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { officerButtonId } from "../../../src/bot/officers/officer-commands.ts";
import { officerReplies } from "../../../src/bot/officers/officer-replies.ts";
import { pseudonym } from "../../../src/storage/crypto.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { type Harness, startHarness } from "./officers-harness.ts";
import {
  BP3MI_CHAT,
  criticalCaseWithEvidence,
  exchange,
  IMIGRASI_CHAT,
  normalCase,
  POLDA_CHAT,
  POLDA_GROUP,
  SCOPE_FIXTURE,
} from "./scope-harness.ts";

/** A member of Polda's unit group who is not an officer in the contacts file. */
const MEMBER = 555000222;

describe.each(databaseKinds())("commands in a unit's group (%s)", (kind) => {
  let db: TestDatabase;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.svc.close();
    h = undefined;
    await db?.destroy();
  });

  const inGroup = (sender: number, input: { text?: string; buttonId?: string }) =>
    exchange(h!, POLDA_GROUP, { ...input, senderId: String(sender), isGroup: true });

  it("refuses a group member who is not an officer, without case data, and audits the attempt", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    for (const input of [
      { text: "/kasus" },
      { text: `/kasus ${code}` },
      { buttonId: officerButtonId("ack", code) },
      { buttonId: officerButtonId("claim", code) },
    ]) {
      const { routing, texts } = await inGroup(MEMBER, input);
      expect(routing).toBe("ignore");
      expect(texts).toEqual([officerReplies.groupNotOfficer]);
    }
    const p = prismaOf(db);
    const report = await p.report.findUniqueOrThrow({ where: { code } });
    expect(report.assignedOfficerId).toBeNull();
    expect((await p.escalation.findFirstOrThrow({ where: { reportId: report.id } })).status).toBe("notified");
    const denied = await p.auditEvent.findMany({ where: { action: "officer.denied" } });
    expect(denied.map((d) => d.actor)).toEqual(
      Array(4).fill(pseudonym(h.keys.pseudonymKey, "telegram", String(MEMBER))),
    );
    expect(denied.every((d) => (d.details as { group?: boolean }).group === true)).toBe(true);
    expect(await p.auditEvent.count({ where: { action: { in: ["case.viewed", "case.listed"] } } })).toBe(0);
  }, 90_000);

  it("accepts a listed officer in the group, acting as themselves", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    const detail = await inGroup(POLDA_CHAT, { text: `/kasus ${code}` });
    expect(detail.routing).toBe("handled");
    expect(detail.answers.map((m) => m.type)).toEqual(["text", "file"]);
    expect((await inGroup(POLDA_CHAT, { buttonId: officerButtonId("claim", code) })).texts[0]).toContain(
      "menangani",
    );
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(report.assignedOfficerId).toBe("off-1");
    const viewed = await prismaOf(db).auditEvent.findMany({ where: { action: "case.viewed" } });
    expect(viewed.map((v) => v.actor)).toEqual(["off-1"]);
    // The reporter's answer goes to the officer's own chat, and the group is told so.
    const asked = await inGroup(POLDA_CHAT, { text: `/tanya ${code} Di mana tempatnya?` });
    expect(asked.texts.join("\n")).toContain("chat pribadi Anda");
  }, 90_000);

  it("shows an officer in the group only what both the officer's agency and the group may see", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    await normalCase(h, "REF-NRMB-3333", new Date());
    // Imigrasi's officer in Polda's group: the critical case is both agencies', the normal case
    // only Imigrasi's, so the group is not shown it, although the officer may claim it privately.
    const critical = await inGroup(IMIGRASI_CHAT, { text: `/kasus ${code}` });
    expect(critical.answers.map((m) => m.type)).toEqual(["text", "file"]);
    const list = await inGroup(IMIGRASI_CHAT, { text: "/kasus" });
    expect(list.texts[0]).toContain(code);
    expect(list.texts[0]).not.toContain("REF-NRMB-3333");
    expect((await inGroup(IMIGRASI_CHAT, { text: "/klaim REF-NRMB-3333" })).texts).toEqual([
      "Kasus REF-NRMB-3333 tidak ditemukan.",
    ]);
    expect((await exchange(h, IMIGRASI_CHAT, { text: "/klaim REF-NRMB-3333" })).texts[0]).toContain(
      "menangani",
    );
    // BP3MI's officer in the group sees neither.
    expect((await inGroup(BP3MI_CHAT, { text: `/kasus ${code}` })).texts).toEqual([
      `Kasus ${code} tidak ditemukan.`,
    ]);
    const denied = await prismaOf(db).auditEvent.findMany({ where: { action: "case.denied" } });
    expect(denied.map((d) => d.actor).sort()).toEqual(["bp-1", "imm-1"]);
  }, 90_000);

  it("accepts an officer registered with an invite code in the group", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const code = await criticalCaseWithEvidence(h);
    const { code: invite } = await createInvite(db, loadContacts(SCOPE_FIXTURE), "off-4");
    const ownChat = 123450004;
    expect((await exchange(h, ownChat, { text: `/daftar ${invite}` })).routing).toBe("handled");
    const detail = await inGroup(ownChat, { text: `/kasus ${code}` });
    expect(detail.routing).toBe("handled");
    expect(detail.answers.map((m) => m.type)).toEqual(["text", "file"]);
    const viewed = await prismaOf(db).auditEvent.findMany({ where: { action: "case.viewed" } });
    expect(viewed.map((v) => v.actor)).toEqual(["off-4"]);
  }, 90_000);
});
