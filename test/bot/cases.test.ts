import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../src/bot/cases.ts";
import { t } from "../../src/flows/content/catalog.ts";
import { type InboundMessage, textOf } from "../../src/flows/message.ts";
import { mainMachine } from "../../src/flows/registry.ts";
import { hashPin, needsRehash, Sealer, sealedAt, verifyPin } from "../../src/storage/crypto.ts";
import { setPinHashCost } from "../../src/storage/pin-hash.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { TEST_PIN_COST } from "../helpers/pin-cost-setup.ts";
import { createTestEngine, eventually, type TestEngine } from "../helpers/test-engine.ts";

describe.each(databaseKinds())("reports and status checks through the engine on %s", (kind) => {
  let db: TestDatabase;
  let h: TestEngine;
  const tampered: string[] = [];
  const sealer = new Sealer([randomBytes(32)], { onTamper: (place) => tampered.push(place) });

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    h = await createTestEngine(db, mainMachine, {
      sealer,
      cases: new CaseService({ sealer, log: pino({ level: "silent" }) }),
    });
  });
  afterAll(async () => {
    await h?.stop();
    await db?.destroy();
  });

  /** A user of the console channel; each call sends one message and returns the texts it got back. */
  function user(name: string) {
    let seen = 0;
    const texts = () => h.sender.sent.filter((s) => s.address === name).map((s) => textOf(s.message) ?? "");
    const send = async (message: InboundMessage) => {
      await h.engine.handle({
        conversationKey: `k-${name}`,
        channel: "console",
        address: name,
        event: { type: "user.message", message },
      });
      await eventually(
        async () =>
          (await prismaOf(db).outboxMessage.count({
            where: { targetKey: `k-${name}`, status: "pending" },
          })) === 0,
      );
      await eventually(
        async () =>
          (await prismaOf(db).outboxMessage.count({
            where: { targetKey: `k-${name}`, status: "sending" },
          })) === 0,
      );
      const all = texts();
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh.join("\n---\n");
    };
    return {
      choose: (id: string) => send({ type: "choice", id }),
      text: (text: string) => send({ type: "text", text }),
      command: (command: "start" | "menu") => send({ type: "command", command }),
    };
  }

  async function fileReport(
    name: string,
    narrative = "My cousin is locked in a villa and cannot leave.",
  ): Promise<{ code: string; pin: string }> {
    const u = user(name);
    await u.command("start");
    await u.choose("language:en");
    await u.choose("menu:report");
    for (const id of [
      "report.situation:held_or_forced_work",
      "report.country:indonesia",
      "report.city:skip",
      "report.location:skip",
    ]) {
      await u.choose(id);
    }
    await u.text("last night");
    await u.text("2");
    await u.choose("report.minors:no");
    await u.choose("report.danger:yes");
    await u.choose("report.confined:yes");
    await u.choose("report.passport:no");
    await u.choose("report.forced:no");
    await u.choose("report.departure:no");
    await u.text(narrative);
    await u.choose("report.narrative:done");
    await u.choose("report.recruiter:skip");
    await u.choose("report.evidence:skip");
    await u.choose("report.consent:yes");
    const confirmation = await u.choose("report.review:confirm");
    const code = /REF-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(confirmation)?.[0];
    const pin = /\b\d{6}\b/.exec(confirmation)?.[0];
    expect(code, confirmation).toBeDefined();
    expect(pin, confirmation).toBeDefined();
    // Nothing in the code tells what it is for, and the message says to delete it once written down.
    expect(confirmation).not.toContain("TPPO");
    expect(confirmation).toMatch(/Write down this code and PIN[\s\S]*delete this message/);
    return { code: code!, pin: pin! };
  }

  it("stores a submitted report sealed, triaged, with the PIN only as a hash, and shows code and PIN once", async () => {
    const { code, pin } = await fileReport("alice");
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(report.urgency).toBe("critical");
    expect(report.reasons).toEqual(expect.arrayContaining(["danger_now", "confined"]));
    expect(report.pinHash).not.toContain(pin);
    expect(Buffer.from(report.contentSealed).toString("latin1")).not.toContain("locked in a villa");
    expect(
      sealer.openJson<{ narrative: string }>(report.contentSealed, sealedAt.reportContent(report.id))
        .narrative,
    ).toContain("locked in a villa");
    expect(report.consentContact).toBe(true);
    const snapshots = await prismaOf(db).conversation.findMany({ where: { key: "k-alice" } });
    expect(
      JSON.stringify(
        sealer.openJson(snapshots[0]!.snapshotSealed!, sealedAt.conversationSnapshot("k-alice")),
      ),
    ).not.toContain(pin);
    const audit = await prismaOf(db).auditEvent.findMany({ where: { reportId: report.id } });
    expect(audit.map((a) => a.action)).toContain("report.submitted");
  });

  it("shows the status with the right code and PIN, from another conversation", async () => {
    const { code, pin } = await fileReport("bob");
    const other = user("bob-later");
    await other.command("start");
    await other.choose("language:en");
    await other.choose("menu:status");
    await other.text(code.toLowerCase());
    const answer = await other.text(pin);
    expect(answer).toContain(code);
    expect(answer).not.toContain(t("en", "status.failed"));
  });

  it("still opens a report whose code was issued with the old TPPO prefix", async () => {
    const { code, pin } = await fileReport("dora");
    const old = code.replace(/^REF-/, "TPPO-");
    await prismaOf(db).report.update({ where: { code }, data: { code: old } });
    const other = user("dora-later");
    await other.command("start");
    await other.choose("language:en");
    await other.choose("menu:status");
    await other.text(old.toLowerCase());
    const answer = await other.text(pin);
    expect(answer).toContain(old);
    expect(answer).not.toContain(t("en", "status.failed"));
  });

  it("re-hashes a PIN stored at an older cost when it opens the case", async () => {
    const { code, pin } = await fileReport("erik");
    const weaker = { N: 2 ** 10, r: 8, p: 1 };
    setPinHashCost(weaker);
    const old = await hashPin(pin);
    setPinHashCost(TEST_PIN_COST);
    await prismaOf(db).report.update({ where: { code }, data: { pinHash: old } });
    expect(needsRehash(old)).toBe(true);
    const other = user("erik-later");
    await other.command("start");
    await other.choose("language:en");
    await other.choose("menu:status");
    await other.text(code);
    expect(await other.text(pin)).toContain(code);
    const { pinHash } = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(pinHash).not.toBe(old);
    expect(needsRehash(pinHash)).toBe(false);
    expect(await verifyPin(pin, pinHash)).toBe(true);
  });

  /** A conversation that checks a status: `attempt(code, pin)` returns the answer. */
  async function checker(name: string) {
    const u = user(name);
    await u.command("start");
    await u.choose("language:en");
    return async (c: string, p: string) => {
      await u.command("menu");
      await u.choose("menu:status");
      await u.text(c);
      return u.text(p);
    };
  }

  it("gives one neutral answer to a wrong PIN or an unknown code, and makes a guessing conversation wait after five", async () => {
    const { code, pin } = await fileReport("carol");
    const attempt = await checker("guesser");
    const unknown = await attempt("TPPO-2222-2222", "123456");
    expect(unknown).toContain(t("en", "status.failed"));
    for (let i = 0; i < 4; i++) {
      expect(await attempt(code, String(100000 + i))).toContain(t("en", "status.failed"));
    }
    const waiting = await attempt(code, pin);
    expect(waiting).toContain(t("en", "status.failed"));
    expect(waiting).not.toContain(code);
    // Only the guessing conversation waits: someone else with the right code and PIN gets in.
    expect(await (await checker("carol-other-phone"))(code, pin)).toContain(code);
  });

  it("never locks the owner's own conversation out, even when others lock the code", async () => {
    const { code, pin } = await fileReport("dina");
    for (let g = 0; g < 4; g++) {
      const attempt = await checker(`dina-guesser-${g}`);
      for (let i = 0; i < 5; i++) await attempt(code, String(200000 + g * 10 + i));
    }
    const report = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    expect(report.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(await (await checker("dina-stranger"))(code, pin)).toContain(t("en", "status.failed"));
    const owner = user("dina");
    await owner.command("menu");
    await owner.choose("menu:status");
    await owner.text(code);
    const answer = await owner.text(pin);
    expect(answer).toContain(code);
    expect(answer).not.toContain(t("en", "status.failed"));
  });

  it("does not show another reporter's sealed address or report copied into questions on one's own case", async () => {
    await fileReport("victim", "Secret words of the victim: Kampung Contoh 12.");
    const victimCase = await prismaOf(db).report.findFirstOrThrow({ where: { conversationKey: "k-victim" } });
    const victimChat = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-victim" } });
    const { code, pin } = await fileReport("mallory");
    const own = await prismaOf(db).report.findUniqueOrThrow({ where: { code } });
    // Write access to the database but no keys: copy the victim's ciphertexts into "questions".
    await prismaOf(db).caseMessage.createMany({
      data: [victimCase.contentSealed, victimChat.addressSealed!].map((bodySealed) => ({
        reportId: own.id,
        kind: "question" as const,
        officerId: "officer-x",
        bodySealed,
      })),
    });
    tampered.length = 0;
    const check = user("mallory-check");
    await check.command("start");
    await check.choose("language:en");
    await check.choose("menu:status");
    await check.text(code);
    const answer = await check.text(pin);
    expect(answer).toContain(code);
    expect(answer).not.toContain("Kampung Contoh");
    expect(answer).not.toMatch(/\bvictim\b/);
    expect(tampered).toHaveLength(2);
    expect(tampered.every((place) => place.startsWith("case_message.body_sealed:"))).toBe(true);
  });
});
