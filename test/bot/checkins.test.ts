import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDaytime } from "../../src/flows/checkin-time.ts";
import { t } from "../../src/flows/content/catalog.ts";
import { checkinStats } from "../../src/storage/checkins.ts";
import type { ChannelState } from "../../src/storage/conversations.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { purgeExpired } from "../../src/storage/purge.ts";
import { type CheckinHarness, createCheckinHarness, optIn } from "../helpers/checkin-harness.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

const START = new Date("2026-12-01T02:00:00Z");
const ZONE = "Asia/Riyadh";

describe.each(databaseKinds())("safe-departure check-ins on %s", (kind) => {
  let db: TestDatabase;
  let h: CheckinHarness;
  let n = 0;
  const fresh = () => `worker-${kind}-${++n}`;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    h = await createCheckinHarness(db, { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) }, START);
  });
  afterAll(async () => {
    await h?.stop();
    await db?.destroy();
  });

  /** A family member on another channel links with the code typed at the menu. */
  async function linkFamily(code: string, channel = "telegram"): Promise<string> {
    const fam = `family-${kind}-${++n}`;
    await h.send(fam, { type: "command", command: "start" }, channel);
    await h.send(fam, { type: "choice", id: "language:id" }, channel);
    await h.send(fam, { type: "text", text: code.toLowerCase().replace(/-/g, " ") }, channel);
    return fam;
  }
  const pendingJobs = async (ids: string[]) =>
    (
      await prismaOf(db).$queryRawUnsafe<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) AND state = 'created'",
        ids,
      )
    )[0]!.n;

  it("asks at 10:00 in the destination's time zone and never reminds at night", async () => {
    h.clock.now = START;
    const key = fresh();
    await optIn(h, key);
    const first = await h.timer(key, "checkin");
    expect(first?.due.toISOString()).toBe("2026-12-11T07:00:00.000Z");
    await h.fire(key, "checkin");
    const asked = (await h.outbox(key)).at(-1)!;
    expect(asked).toEqual({ text: t("id", "checkin.ask.question"), purpose: "checkin" });
    const remind = (await h.timer(key, "checkin.remind"))!.due;
    const missed = (await h.timer(key, "checkin.missed"))!.due;
    const next = (await h.timer(key, "checkin"))!.due;
    expect(remind.toISOString()).toBe("2026-12-12T05:00:00.000Z");
    expect(missed.toISOString()).toBe("2026-12-12T07:00:00.000Z");
    expect(next.toISOString()).toBe("2026-12-13T07:00:00.000Z");
    for (const at of [first!.due, remind, next]) expect(isDaytime(at, ZONE)).toBe(true);
  });

  it("reads a departure date typed without a year from the day the message arrived", async () => {
    h.clock.now = START;
    const key = fresh();
    await optIn(h, key, { date: "tgl 10 des" });
    const first = await h.timer(key, "checkin");
    expect(first?.due.toISOString()).toBe("2026-12-11T07:00:00.000Z");
  });

  it("reminds, then alerts linked family, then opens one case for officers, each exactly once", async () => {
    h.clock.now = START;
    const key = fresh();
    const code = await optIn(h, key);
    const fam = await linkFamily(code);
    expect((await h.outbox(fam)).at(-1)?.text).toContain("Mbak Contoh");
    const before = h.cases.length;
    await h.fire(key, "checkin");
    const remindJob = await h.fire(key, "checkin.remind");
    expect((await h.outbox(key)).at(-1)?.text).toBe(t("id", "checkin.ask.reminder"));
    await h.fire(key, "checkin.remind", remindJob);
    expect((await h.outbox(key)).filter((m) => m.text === t("id", "checkin.ask.reminder"))).toHaveLength(1);
    const missJob = await h.fire(key, "checkin.missed");
    await h.fire(key, "checkin.missed", missJob);
    const alerts = (await h.outbox(fam)).filter((m) => m.purpose === "checkin-family");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain("Mbak Contoh");
    expect(alerts[0]!.text).toContain("Riyadh, Arab Saudi");
    expect(h.cases.length).toBe(before);
    // The second check-in is missed too: family again, and now a high case (the worker consented).
    await h.fire(key, "checkin");
    const second = await h.fire(key, "checkin.missed");
    await h.fire(key, "checkin.missed", second);
    expect((await h.outbox(fam)).filter((m) => m.purpose === "checkin-family")).toHaveLength(2);
    expect(h.cases.slice(before)).toEqual(["high"]);
    const stats = await checkinStats(db);
    expect(stats.missed).toBeGreaterThanOrEqual(2);
    expect(stats.alertsSent).toBeGreaterThanOrEqual(2);
  });

  it("answers Bahaya with the abroad guidance at once, tells family and opens a critical case", async () => {
    h.clock.now = START;
    const key = fresh();
    const fam = await linkFamily(await optIn(h, key), "whatsapp");
    await h.fire(key, "checkin");
    const before = h.cases.length;
    await h.send(key, { type: "text", text: "bahaya" });
    const out = await h.outbox(key);
    expect(out.at(-2)?.text).toBe(t("id", "typed.danger.abroad"));
    expect((await h.outbox(fam)).at(-1)?.text).toContain("bahaya");
    expect(h.cases.slice(before)).toEqual(["critical"]);
    expect(await h.timer(key, "checkin.missed")).toBeUndefined();
    // The same answer again adds nothing.
    await h.send(key, { type: "choice", id: "checkin.ask:danger" });
    expect(h.cases.slice(before)).toEqual(["critical"]);
  });

  it("takes the safe phrase typed at any step: a neutral reply and the guidance, family and officers told", async () => {
    h.clock.now = START;
    const key = fresh();
    const fam = await linkFamily(await optIn(h, key, { phrase: "Cuaca di sini panas sekali" }));
    const stored = await prismaOf(db).checkin.findUniqueOrThrow({ where: { conversationKey: key } });
    expect(stored.safePhraseHash).not.toContain("panas");
    expect(Buffer.from(stored.detailsSealed).toString("utf8")).not.toContain("Riyadh");
    await h.send(key, { type: "choice", id: "menu:qa" });
    const seen = (await h.outbox(key)).length;
    const before = h.cases.length;
    await h.send(key, { type: "text", text: "cuaca di sini, PANAS sekali!" });
    expect((await h.outbox(key)).slice(seen).map((m) => m.text)).toEqual([t("id", "checkin.safe.reply")]);
    expect(h.cases.slice(before)).toEqual(["critical"]);
    expect((await h.outbox(fam)).at(-1)?.text).toContain("Mbak Contoh");
  });

  it("lets the worker see and remove a linked person", async () => {
    h.clock.now = START;
    const key = fresh();
    await linkFamily(await optIn(h, key), "whatsapp");
    await h.send(key, { type: "choice", id: "checkin.done:people" });
    expect((await h.outbox(key)).at(-1)?.text).toContain("whatsapp");
    await h.send(key, { type: "choice", id: "checkin.people:rm0" });
    expect((await h.outbox(key)).at(-1)?.text).toBe(t("id", "checkin.people.none"));
    expect(await prismaOf(db).checkinFamily.count({ where: { checkin: { conversationKey: key } } })).toBe(0);
  });

  it("/berhenti and /hapus leave no check-in timer or row behind", async () => {
    for (const how of ["stop", "delete"] as const) {
      h.clock.now = START;
      const key = fresh();
      const fam = await linkFamily(await optIn(h, key));
      await h.fire(key, "checkin");
      const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key } });
      const ids = Object.values((row.channelState as ChannelState).timers ?? {});
      expect(await pendingJobs(ids)).toBe(3);
      await h.send(key, { type: "command", command: how });
      if (how === "delete") await h.send(key, { type: "choice", id: "pending.delete:yes" });
      expect(await pendingJobs(ids)).toBe(0);
      expect(await prismaOf(db).checkin.count({ where: { conversationKey: key } })).toBe(0);
      expect(await prismaOf(db).checkinFamily.count({ where: { conversationKey: fam } })).toBe(0);
    }
  });

  it("keeps check-ins while they run and deletes them 30 days after the last one", async () => {
    h.clock.now = START;
    const key = fresh();
    await optIn(h, key);
    await purgeExpired(db, { now: new Date("2027-12-01T00:00:00Z"), closedCaseRetentionDays: 90 });
    expect(await prismaOf(db).checkin.count({ where: { conversationKey: key } })).toBe(1);
    expect(await prismaOf(db).conversation.count({ where: { key } })).toBe(1);
    await prismaOf(db).checkin.update({
      where: { conversationKey: key },
      data: { status: "done", lastCheckinAt: new Date("2027-06-01T00:00:00Z") },
    });
    await purgeExpired(db, { now: new Date("2027-07-02T00:00:00Z"), closedCaseRetentionDays: 90 });
    expect(await prismaOf(db).checkin.count({ where: { conversationKey: key } })).toBe(0);
  });
});
