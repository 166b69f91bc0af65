import { afterEach, describe, expect, it } from "vitest";
import { createInvite } from "../../../src/bot/officers/admin-commands.ts";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { officerButtonId } from "../../../src/bot/officers/officer-commands.ts";
import type { OfficerService } from "../../../src/bot/officers/officer-service.ts";
import { pseudonym } from "../../../src/storage/crypto.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import {
  CONTACTS_FIXTURE,
  type Harness,
  OFF1_CHAT,
  OFF2_CHAT,
  officerMessage,
  outboxPayloads,
  REPORTER_CHAT,
  reporter,
  startHarness,
  until,
} from "./officers-harness.ts";

const OFF1 = { chatId: OFF1_CHAT };
const REPORTER = { chatId: REPORTER_CHAT };

describe.each(databaseKinds())("officer commands and relay (%s)", (kind) => {
  let db: TestDatabase;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.svc.close();
    h = undefined;
    await db?.destroy();
  });

  async function submitted(): Promise<{ code: string; pin: string; r: ReturnType<typeof reporter> }> {
    h = await startHarness(db);
    const r = reporter(h);
    await r.fillCriticalReport();
    await r.choose("report.review:confirm");
    const report = await prismaOf(db).report.findFirstOrThrow();
    await until(() => h!.deliveries.texts(REPORTER).some((t) => t.includes(report.code)), 3000);
    const shown = h.deliveries.texts(REPORTER).find((t) => t.includes(report.code))!;
    const pin = /\b(\d{6})\b/.exec(shown)?.[1];
    if (!pin) throw new Error("PIN not shown");
    return { code: report.code, pin, r };
  }

  it("gives a non-officer who sends officer commands the user menu and audits the attempt", async () => {
    db = await openTestDatabase(kind);
    const { code } = await submitted();
    const stranger = 555000111;
    const g = h!.gateway;
    expect(await g.route(officerMessage(stranger, { text: "/kasus" }))).toBe("user_menu");
    expect(await g.route(officerMessage(stranger, { buttonId: officerButtonId("ack", code) }))).toBe(
      "user_menu",
    );
    expect(await g.route(officerMessage(stranger, { text: `/klaim ${code}` }))).toBe("user_menu");
    expect(await g.route(officerMessage(stranger, { text: "halo" }))).toBe("user");
    expect(await g.route(officerMessage(stranger, { text: "/status" }))).toBe("user");
    // In a group nothing goes to the user flows; non-officers' commands are still audited.
    expect(
      await g.route(officerMessage(-100123, { text: "/kasus", senderId: String(stranger), isGroup: true })),
    ).toBe("ignore");
    expect(
      await g.route(officerMessage(-100900000001, { text: "selamat pagi", senderId: "42", isGroup: true })),
    ).toBe("ignore");
    // A real officer's command in a group that is not a unit's group is not answered there either:
    // case data would be posted to whoever is in that group.
    const before = await prismaOf(db).outboxMessage.count();
    expect(
      await g.route(
        officerMessage(-100777, { text: `/kasus ${code}`, senderId: "900000001", isGroup: true }),
      ),
    ).toBe("ignore");
    expect(await prismaOf(db).outboxMessage.count()).toBe(before);
    const denied = await prismaOf(db).auditEvent.findMany({ where: { action: "officer.denied" } });
    expect(
      denied.filter((d) => d.actor === pseudonym(h!.keys.pseudonymKey, "telegram", stranger)),
    ).toHaveLength(4);
    expect(new Set(denied.map((d) => d.actor))).toEqual(
      new Set([
        pseudonym(h!.keys.pseudonymKey, "telegram", stranger),
        pseudonym(h!.keys.pseudonymKey, "telegram", "900000001"),
      ]),
    );
    expect(JSON.stringify(denied.map((d) => ({ ...d, id: String(d.id) })))).not.toContain(String(stranger));
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(report.assignedOfficerId).toBeNull();
  });

  it("relays an officer question to the reporter and the answer back, without either side's chat id", async () => {
    db = await openTestDatabase(kind);
    const { code, pin, r } = await submitted();
    const g = h!.gateway;
    expect(await g.route(officerMessage(OFF1_CHAT, { text: `/klaim ${code}` }))).toBe("handled");
    // The ask button, then the officer's next message is the question.
    expect(await g.route(officerMessage(OFF1_CHAT, { buttonId: officerButtonId("ask", code) }))).toBe(
      "handled",
    );
    expect(await g.route(officerMessage(OFF1_CHAT, { text: "Di kota mana kantor agennya?" }))).toBe(
      "handled",
    );
    await until(
      () => h!.deliveries.texts(REPORTER).some((t) => t.includes("Di kota mana kantor agennya?")),
      3000,
    );
    // The push also has a durable copy, sealed (job tables are plain), for a crash right after commit;
    // running it again changes nothing: the reporter sees the question once.
    const jobs = await prismaOf(db).$queryRawUnsafe<{ data: { sealed: string } }[]>(
      "SELECT data FROM pgboss.job WHERE name = 'reporter-push'",
    );
    expect(jobs.length).toBeGreaterThan(0);
    expect(JSON.stringify(jobs)).not.toContain("Di kota mana");
    expect(JSON.stringify(jobs)).not.toContain(code);
    const service = h!.gateway as OfficerService;
    for (const job of jobs) await service.runPushJob(job.data);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      h!.deliveries.texts(REPORTER).filter((t) => t.includes("Di kota mana kantor agennya?")),
    ).toHaveLength(1);

    await r.command("status");
    await r.text(code);
    await r.text(pin);
    await r.choose("status.open:q0");
    // Bidi and zero-width characters typed by the reporter never reach the officers.
    await r.text("Di Denpasar,\u200b Jalan\u202e Contoh.\u2066");
    await until(() => h!.deliveries.texts(OFF1).some((t) => t.includes("Di Denpasar, Jalan Contoh.")), 3000);
    const relayed = h!.deliveries.texts(OFF1).find((t) => t.includes("Di Denpasar"))!;
    expect(relayed).toContain(`Jawaban pelapor untuk ${code}`);
    expect(relayed).not.toMatch(/[\u200b\u202e\u2066]/u);

    // A status change reaches the reporter too.
    expect(await g.route(officerMessage(OFF1_CHAT, { text: `/status ${code} diproses` }))).toBe("handled");
    await until(() => h!.deliveries.texts(REPORTER).some((t) => t.includes("sedang diproses")), 3000);
    expect((await prismaOf(db).report.findUniqueOrThrow({ where: { code } })).status).toBe("in_progress");

    const payloads = await outboxPayloads(h!);
    const toReporter = payloads.filter((p) => JSON.stringify(p.address) === JSON.stringify(REPORTER));
    const toOfficers = payloads.filter((p) => JSON.stringify(p.address) !== JSON.stringify(REPORTER));
    expect(toReporter.length).toBeGreaterThan(0);
    expect(toOfficers.length).toBeGreaterThan(0);
    for (const p of toReporter) {
      const text = JSON.stringify(p);
      expect(text).not.toContain(String(OFF1_CHAT));
      expect(text).not.toContain(String(OFF2_CHAT));
      expect(text).not.toContain("Petugas Satu");
      expect(text).not.toContain("off-1");
    }
    for (const p of toOfficers) expect(JSON.stringify(p)).not.toContain(String(REPORTER_CHAT));
    const actions = (await prismaOf(db).auditEvent.findMany({ where: { actor: "off-1" } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(["escalation.acknowledged", "case.claimed", "case.question", "case.status"]);
  });

  it("lists open cases, shows a case's detail, keeps notes and closes with an outcome", async () => {
    db = await openTestDatabase(kind);
    const { code } = await submitted();
    const g = h!.gateway;
    await g.route(officerMessage(OFF1_CHAT, { text: `/klaim ${code}` }));
    await g.route(officerMessage(OFF1_CHAT, { text: `/catat ${code} Sudah koordinasi dengan Imigrasi.` }));
    await g.route(officerMessage(OFF1_CHAT, { text: "/kasus" }));
    await g.route(officerMessage(OFF1_CHAT, { text: `/kasus ${code}` }));
    await g.route(officerMessage(OFF1_CHAT, { buttonId: officerButtonId("close", code) }));
    await g.route(officerMessage(OFF1_CHAT, { buttonId: officerButtonId("close", code, "victim_assisted") }));
    await until(
      () => h!.deliveries.texts(OFF1).some((t) => t.startsWith(`Status ${code} sekarang: ditutup`)),
      3000,
    );
    const texts = h!.deliveries.texts(OFF1);
    expect(texts.some((t) => t.startsWith("Kasus terbuka (1)") && t.includes("ditangani Petugas Satu"))).toBe(
      true,
    );
    expect(
      texts.some(
        (t) => t.includes("Sudah koordinasi dengan Imigrasi.") && t.includes("Ditangani: Petugas Satu"),
      ),
    ).toBe(true);
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(report).toMatchObject({
      status: "closed",
      outcome: "victim_assisted",
      assignedOfficerId: "off-1",
    });
    // Another officer cannot take the case over silently.
    await g.route(officerMessage(OFF2_CHAT, { text: `/klaim ${code}` }));
    await until(
      () => h!.deliveries.texts({ chatId: OFF2_CHAT }).some((t) => t.includes("sudah ditangani")),
      3000,
    );
  });

  it("registers an officer with a one-time invite code and accepts their commands", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db);
    const contacts = loadContacts(CONTACTS_FIXTURE);
    const { code } = await createInvite(db, contacts, "off-3");
    const newChat = 123456789;
    expect(await h.gateway.route(officerMessage(newChat, { text: "/kasus" }))).toBe("user_menu");
    expect(await h.gateway.route(officerMessage(newChat, { text: `/daftar ${code.toLowerCase()}` }))).toBe(
      "handled",
    );
    expect(await h.gateway.route(officerMessage(newChat, { text: "/kasus" }))).toBe("handled");
    // The code works once.
    expect(await h.gateway.route(officerMessage(987654321, { text: `/daftar ${code}` }))).toBe("handled");
    await until(
      () => h!.deliveries.texts({ chatId: 987654321 }).some((t) => t.includes("tidak berlaku")),
      3000,
    );
    expect(h.deliveries.texts({ chatId: newChat })[0]).toContain("Terdaftar sebagai petugas: Petugas Tiga");
    const stored = await prismaOf(db).officerInvite.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.codeHash).not.toContain(code);
    expect(stored[0]!.usedAt).not.toBeNull();
    const officer = await prismaOf(db).officer.findUniqueOrThrow({ where: { id: "off-3" } });
    expect(officer.channelKey).toBe(pseudonym(h.keys.pseudonymKey, "telegram", String(newChat)));
  });
});
