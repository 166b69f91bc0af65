import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitConversations,
  deleteConversation,
  lockConversation,
  readConversation,
  receiveAndLock,
  receiveAndLockMany,
  recordReceipt,
  saveConversation,
} from "../../src/storage/conversations.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import { dbQuery, onDriver, txQuery } from "../../src/storage/driver.ts";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "../../src/storage/migrate.ts";
import {
  applyPendingMigrations,
  migrationStatus,
  unappliedMigrations,
} from "../../src/storage/migration-status.ts";
import {
  claimOutbox,
  enqueueOutbox,
  markDead,
  markHeld,
  markRetry,
  markSent,
  markSentMany,
  releaseAllClaims,
  releaseHeld,
  renewClaims,
} from "../../src/storage/outbox.ts";
import { prismaOf, prismaTx } from "../../src/storage/prisma-access.ts";
import { purgeExpired } from "../../src/storage/purge.ts";
import {
  databaseKinds,
  openTestDatabase,
  postgresMissingInCi,
  type TestDatabase,
} from "../helpers/databases.ts";

describe("storage contract setup", () => {
  it("runs the PostgreSQL suite whenever CI asks for it", () => {
    expect(postgresMissingInCi(), "CI=true but TEST_DATABASE_URL is not set").toBe(false);
  });
});

describe.each(databaseKinds())("storage contract on %s", (kind) => {
  let db: TestDatabase;
  const sealer = new Sealer([randomBytes(32)]);

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("has every migration applied, and applying again does nothing", async () => {
    const expected = (await readMigrations()).migrationDirectories.length;
    expect(await migrationStatus(db)).toEqual({ applied: expected, failed: 0 });
    expect(await applyMigrations(db.adapterFactory)).toEqual([]);
  });

  it("starts without the schema engine when every migration is applied, and applies a new one", async () => {
    expect(await unappliedMigrations(db)).toEqual([]);
    expect(await applyPendingMigrations(db)).toEqual([]);
    const dir = await mkdtemp(join(tmpdir(), "suara-migrations-"));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      const name = "99990101000000_contract_probe";
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, "migration.sql"), "CREATE TABLE contract_probe (id int);\n");
      expect(await unappliedMigrations(db, dir)).toEqual([name]);
      expect(await applyPendingMigrations(db, dir)).toEqual([name]);
      expect(await unappliedMigrations(db, dir)).toEqual([]);
      // The original list still counts as applied: an extra applied migration does not matter here.
      expect(await unappliedMigrations(db)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("records a delivery once and reports the duplicate", async () => {
    expect(await db.transaction((tx) => recordReceipt(tx, "telegram", "u:1", "k1"))).toBe(true);
    expect(await db.transaction((tx) => recordReceipt(tx, "telegram", "u:1", "k1"))).toBe(false);
    expect(await db.transaction((tx) => recordReceipt(tx, "whatsapp", "u:1", "k1"))).toBe(true);
  });

  it("creates, locks and saves a conversation with its sealed state", async () => {
    const first = await db.transaction((tx) => lockConversation(tx, "k-conv", "console", "main", 1));
    expect(first).toMatchObject({ key: "k-conv", version: 0, isNew: true, snapshotSealed: null });
    await db.transaction((tx) =>
      saveConversation(tx, "k-conv", {
        flowId: "main",
        flowVersion: 1,
        snapshotSealed: sealer.sealJson({ value: "menu" }),
        lang: "en",
        channelState: { numbered: ["a", "b"] },
        addressSealed: sealer.sealJson({ chatId: 1 }),
        lastInboundAt: new Date(),
        expiresAt: new Date(Date.now() + 60_000),
        version: 1,
      }),
    );
    const again = await db.transaction((tx) => lockConversation(tx, "k-conv", "console", "main", 1));
    expect(again).toMatchObject({
      version: 1,
      isNew: false,
      lang: "en",
      channelState: { numbered: ["a", "b"] },
    });
    expect(sealer.openJson(again.snapshotSealed!)).toEqual({ value: "menu" });
  });

  it("counts a person's messages per minute in the statement that locks the row, never a delivery seen before", async () => {
    const receive = (id: string, counted = true) =>
      db.transaction((tx) =>
        receiveAndLock(
          tx,
          { channel: "telegram", externalId: id },
          "k-limit",
          "telegram",
          "main",
          1,
          counted,
        ),
      );
    expect((await receive("m1"))?.limitCount).toBe(1);
    expect((await receive("m2"))?.limitCount).toBe(2);
    // A redelivery locks and counts nothing; an uncounted message (a timer, a resume) keeps the count.
    expect(await receive("m2")).toBeUndefined();
    expect((await receive("m3", false))?.limitCount).toBe(2);
    expect((await receive("m4"))?.limitCount).toBe(3);
    expect((await db.transaction((tx) => readConversation(tx, "k-limit")))?.limitCount).toBe(3);
    // A minute after the window opened, counting starts again (and a look says nothing is counted).
    await prismaOf(db).$executeRawUnsafe(
      "UPDATE conversation SET limit_window_at = limit_window_at - interval '61 seconds' WHERE key = 'k-limit'",
    );
    expect((await db.transaction((tx) => readConversation(tx, "k-limit")))?.limitCount).toBe(0);
    expect((await receive("m5"))?.limitCount).toBe(1);
    expect((await receive("m6"))?.limitCount).toBe(2);
  });

  it("receives and locks several conversations in one statement: new and existing rows, duplicates and counts, in the order asked", async () => {
    await db.transaction((tx) => lockConversation(tx, "k-many-old", "telegram", "main", 1));
    await db.transaction((tx) => recordReceipt(tx, "telegram", "many-seen", "k-many-dup"));
    const ask = (id: string) => ({ channel: "telegram", externalId: id });
    const rows = await db.transaction((tx) =>
      receiveAndLockMany(
        tx,
        [
          { key: "k-many-new", channel: "telegram", receipt: ask("many-1"), counted: true },
          { key: "k-many-dup", channel: "telegram", receipt: ask("many-seen"), counted: true },
          { key: "k-many-old", channel: "telegram", receipt: ask("many-2"), counted: false },
          { key: "k-many-bare", channel: "console", counted: true },
        ],
        "main",
        1,
      ),
    );
    expect(rows.map((r) => r?.key)).toEqual(["k-many-new", undefined, "k-many-old", "k-many-bare"]);
    expect(rows[0]).toMatchObject({ isNew: true, limitCount: 1, channel: "telegram" });
    expect(rows[2]).toMatchObject({ isNew: true, version: 0, limitCount: 0 });
    expect(rows[3]).toMatchObject({ channel: "console", limitCount: 1 });
    // The duplicate created no conversation; the new receipts are stored, so a redelivery is one too.
    expect(await db.transaction((tx) => readConversation(tx, "k-many-dup"))).toBeUndefined();
    const again = await db.transaction((tx) =>
      receiveAndLockMany(
        tx,
        [{ key: "k-many-new", channel: "telegram", receipt: ask("many-1"), counted: true }],
        "main",
        1,
      ),
    );
    expect(again).toEqual([undefined]);
    await expect(
      db.transaction((tx) =>
        receiveAndLockMany(
          tx,
          [
            { key: "k-many-new", channel: "telegram", counted: true },
            { key: "k-many-new", channel: "telegram", counted: true },
          ],
          "main",
          1,
        ),
      ),
    ).rejects.toThrow(/distinct/);
  });

  it("commits several conversations and their messages in one statement, each person's messages in the order given", async () => {
    for (const key of ["k-commit-a", "k-commit-b"]) {
      await db.transaction((tx) => lockConversation(tx, key, "telegram", "main", 1));
    }
    await prismaOf(db).outboxMessage.create({
      data: {
        idempotencyKey: "commit-held",
        channel: "telegram",
        targetKey: "k-commit-b",
        payloadSealed: sealer.sealJson({ n: 0 }),
        status: "held",
      },
    });
    const update = (lang: string, version: number) => ({
      flowId: "main",
      flowVersion: 1,
      snapshotSealed: sealer.sealJson({ value: lang }),
      lang,
      channelState: { offered: [lang] },
      expiresAt: new Date(Date.now() + 60_000),
      version,
    });
    const message = (key: string, n: number) => ({
      idempotencyKey: `commit-${key}-${n}`,
      channel: "telegram",
      targetKey: key,
      payloadSealed: sealer.sealJson({ n }),
    });
    await db.transaction((tx) =>
      commitConversations(tx, [
        {
          key: "k-commit-a",
          data: update("en", 1),
          outbox: [3, 1, 2].map((n) => message("k-commit-a", n)),
          releaseHeld: false,
        },
        {
          key: "k-commit-b",
          data: { ...update("id", 4), addressSealed: sealer.sealJson({ chatId: 2 }) },
          outbox: [message("k-commit-b", 1)],
          releaseHeld: true,
        },
      ]),
    );
    const a = await db.transaction((tx) => readConversation(tx, "k-commit-a"));
    const b = await db.transaction((tx) => readConversation(tx, "k-commit-b"));
    expect(a).toMatchObject({ lang: "en", version: 1, channelState: { offered: ["en"] } });
    expect(b).toMatchObject({ lang: "id", version: 4 });
    expect(sealer.openJson(b!.snapshotSealed!)).toEqual({ value: "id" });
    const sent = await prismaOf(db).outboxMessage.findMany({
      where: { targetKey: { in: ["k-commit-a", "k-commit-b"] } },
      orderBy: { seq: "asc" },
    });
    const order = (key: string) =>
      sent
        .filter((m) => m.targetKey === key)
        .map((m) => (sealer.openJson(m.payloadSealed) as { n: number }).n);
    expect(order("k-commit-a")).toEqual([3, 1, 2]);
    // b wrote again: its held message is released, ahead of the new one.
    expect(order("k-commit-b")).toEqual([0, 1]);
    expect(sent.every((m) => m.status === "pending")).toBe(true);
    const [address] = await prismaOf(db).conversation.findMany({ where: { key: "k-commit-b" } });
    expect(sealer.openJson(address!.addressSealed!)).toEqual({ chatId: 2 });
    // Later tests claim the whole outbox.
    await prismaOf(db).outboxMessage.deleteMany({
      where: { targetKey: { in: ["k-commit-a", "k-commit-b"] } },
    });
  });

  it("links each of many concurrent transactions to its own connection, the one Prisma's statements run on", async () => {
    const seen = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.transaction(async (tx) => {
          // The backend's process id on PostgreSQL; PGlite has one connection, so the same id every time.
          const [viaDriver] = await txQuery<{ pid: number }>(tx, "SELECT pg_backend_pid() AS pid");
          const [viaPrisma] = await prismaTx(tx).$queryRawUnsafe<{ pid: number }[]>(
            "SELECT pg_backend_pid() AS pid",
          );
          // And a row written by one is seen by the other inside the same transaction.
          const txid = await txQuery<{ id: string }>(tx, "SELECT txid_current()::text AS id");
          const prismaTxid = await prismaTx(tx).$queryRawUnsafe<{ id: string }[]>(
            "SELECT txid_current()::text AS id",
          );
          return {
            same: viaDriver?.pid === viaPrisma?.pid && txid[0]?.id === prismaTxid[0]?.id,
            onDriver: onDriver(tx),
          };
        }),
      ),
    );
    expect(seen.every((s) => s.same && s.onDriver)).toBe(true);
  });

  it("plans every run of a prepared hot statement for the table as it is, on every connection", async () => {
    // A generic plan kept from when the outbox was small turned the claim quadratic under a backlog.
    const modes = await Promise.all(
      Array.from({ length: 6 }, () =>
        db.transaction(async (tx) => {
          const [row] = await txQuery<{ plan_cache_mode: string }>(tx, "SHOW plan_cache_mode");
          return row?.plan_cache_mode;
        }),
      ),
    );
    const [outside] = await dbQuery<{ plan_cache_mode: string }>(db, "SHOW plan_cache_mode");
    expect([...modes, outside?.plan_cache_mode]).toEqual(Array(7).fill("force_custom_plan"));
  });

  it("runs the hot statements on the transaction's own driver connection, committing or rolling back with Prisma's", async () => {
    await expect(
      db.transaction(async (tx) => {
        expect(onDriver(tx)).toBe(true);
        await lockConversation(tx, "k-driver", "console", "main", 1);
        await recordReceipt(tx, "console", "driver-1", "k-driver");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await prismaOf(db).conversation.count({ where: { key: "k-driver" } })).toBe(0);
    expect(await prismaOf(db).inboundReceipt.count({ where: { externalId: "driver-1" } })).toBe(0);
    const at = new Date("2026-03-04T05:06:07.000Z");
    await db.transaction(async (tx) => {
      await lockConversation(tx, "k-driver", "console", "main", 1);
      await saveConversation(tx, "k-driver", {
        flowId: "main",
        flowVersion: 1,
        snapshotSealed: sealer.sealJson({}),
        lang: null,
        channelState: {},
        lastInboundAt: at,
        expiresAt: at,
        version: 1,
      });
    });
    // Timestamps written and read by the driver agree with Prisma's UTC reading.
    const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-driver" } });
    expect(row.lastInboundAt?.toISOString()).toBe(at.toISOString());
    expect(row.expiresAt?.toISOString()).toBe(at.toISOString());
    const locked = await db.transaction((tx) => lockConversation(tx, "k-driver", "console", "main", 1));
    expect(locked.lastInboundAt?.toISOString()).toBe(at.toISOString());
  });

  it("serialises two transactions that lock the same conversation", async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => {
      releaseFirst = r;
    });
    const first = db.transaction(async (tx) => {
      await lockConversation(tx, "k-lock", "console", "main", 1);
      order.push("first locked");
      await firstHolds;
      order.push("first done");
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = db.transaction(async (tx) => {
      await lockConversation(tx, "k-lock", "console", "main", 1);
      order.push("second locked");
    });
    await new Promise((r) => setTimeout(r, 200));
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first locked", "first done", "second locked"]);
  });

  it("claims only the oldest unsent message per recipient, in order", async () => {
    const msg = (id: string, target: string) => ({
      idempotencyKey: id,
      channel: "console",
      targetKey: target,
      payloadSealed: sealer.sealJson({ id }),
    });
    await db.transaction((tx) => enqueueOutbox(tx, [msg("o1", "t-a"), msg("o2", "t-a"), msg("o3", "t-b")]));
    await db.transaction((tx) => enqueueOutbox(tx, [msg("o1", "t-a")]));
    const round1 = await claimOutbox(db, 10);
    expect(round1.map((m) => m.idempotencyKey).sort()).toEqual(["o1", "o3"]);
    expect(await claimOutbox(db, 10)).toEqual([]);
    const o1 = round1.find((m) => m.idempotencyKey === "o1")!;
    await markSent(db, o1.id, "ext-1");
    const round2 = await claimOutbox(db, 10);
    expect(round2.map((m) => m.idempotencyKey)).toEqual(["o2"]);
    await markRetry(db, round2[0]!.id, "network", new Date(Date.now() - 1));
    const round3 = await claimOutbox(db, 10);
    expect(round3.map((m) => [m.idempotencyKey, m.attempts])).toEqual([["o2", 2]]);
    await markDead(db, round3[0]!.id, "gave up");
    const o3 = round1.find((m) => m.idempotencyKey === "o3")!;
    await markHeld(db, o3.id, "window closed");
    expect(await claimOutbox(db, 10)).toEqual([]);
    expect(await db.transaction((tx) => releaseHeld(tx, "t-b"))).toBe(1);
    expect((await claimOutbox(db, 10)).map((m) => m.idempotencyKey)).toEqual(["o3"]);
    const dead = await prismaOf(db).outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "o2" } });
    expect(dead).toMatchObject({ status: "dead", lastError: "gave up" });
  });

  it("re-claims a message whose sender crashed after its lease ran out", async () => {
    await db.transaction((tx) =>
      enqueueOutbox(tx, [
        {
          idempotencyKey: "lease-1",
          channel: "console",
          targetKey: "t-lease",
          payloadSealed: sealer.sealJson(1),
        },
      ]),
    );
    const [claimed] = await claimOutbox(db, 10, 1);
    expect(claimed?.idempotencyKey).toBe("lease-1");
    expect((await claimOutbox(db, 10)).find((m) => m.idempotencyKey === "lease-1")).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const again = await claimOutbox(db, 10);
    expect(again.find((m) => m.idempotencyKey === "lease-1")?.attempts).toBe(2);
  });

  it("keeps a renewed claim, ignores marks of a superseded claim and releases all claims at once", async () => {
    const msg = (id: string) => ({
      idempotencyKey: id,
      channel: "console",
      targetKey: `t-${id}`,
      payloadSealed: sealer.sealJson(id),
    });
    await db.transaction((tx) => enqueueOutbox(tx, [msg("renew-1"), msg("release-1")]));
    const claimed = (await claimOutbox(db, 10, 1)).filter((m) =>
      /^(renew|release)-1$/.test(m.idempotencyKey),
    );
    const renew = claimed.find((m) => m.idempotencyKey === "renew-1")!;
    expect(await renewClaims(db, [renew], 30)).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    // The renewed claim still holds; the other one ran out and is claimed again (attempt 2).
    const again = await claimOutbox(db, 10);
    expect(again.map((m) => [m.idempotencyKey, m.attempts])).toEqual([["release-1", 2]]);
    // The first claim of release-1 is superseded: its renewal and its mark change nothing.
    const stale = claimed.find((m) => m.idempotencyKey === "release-1")!;
    expect(await renewClaims(db, [stale])).toBe(0);
    await markSentMany(db, [{ id: stale.id, attempts: stale.attempts, externalId: "late" }]);
    const row = await prismaOf(db).outboxMessage.findUniqueOrThrow({
      where: { idempotencyKey: "release-1" },
    });
    expect(row).toMatchObject({ status: "sending", attempts: 2 });
    // Earlier tests leave claims of their own; all are released.
    expect(await releaseAllClaims(db)).toBeGreaterThanOrEqual(2);
    const released = (await claimOutbox(db, 10)).filter((m) => /^(renew|release)-1$/.test(m.idempotencyKey));
    expect(released.map((m) => [m.idempotencyKey, m.attempts]).sort()).toEqual([
      ["release-1", 3],
      ["renew-1", 2],
    ]);
  });

  it("deletes a conversation with its receipts and draft evidence on request", async () => {
    await db.transaction(async (tx) => {
      await lockConversation(tx, "k-del", "console", "main", 1);
      await recordReceipt(tx, "console", "del-1", "k-del");
      await prismaTx(tx).evidence.create({
        data: {
          conversationKey: "k-del",
          kind: "photo",
          mime: "image/jpeg",
          size: 1,
          dataSealed: sealer.sealJson(1),
        },
      });
    });
    await db.transaction((tx) => deleteConversation(tx, "k-del"));
    expect(await prismaOf(db).conversation.count({ where: { key: "k-del" } })).toBe(0);
    expect(await prismaOf(db).inboundReceipt.count({ where: { conversationKey: "k-del" } })).toBe(0);
    expect(await prismaOf(db).evidence.count({ where: { conversationKey: "k-del" } })).toBe(0);
  });

  it("purges expired conversations but keeps the reply address of a consenting reporter with an open case", async () => {
    const past = new Date(Date.now() - 60_000);
    await db.transaction(async (tx) => {
      for (const key of ["k-exp", "k-consent"]) {
        await lockConversation(tx, key, "console", "main", 1);
        await prismaTx(tx).conversation.update({
          where: { key },
          data: {
            expiresAt: past,
            addressSealed: sealer.sealJson({ chatId: 5 }),
            snapshotSealed: sealer.sealJson({}),
          },
        });
      }
      await prismaTx(tx).report.create({
        data: {
          code: "TPPO-PURG-E222",
          pinHash: "x",
          urgency: "normal",
          reasons: [],
          situation: "other",
          contentSealed: sealer.sealJson({}),
          consentContact: true,
          conversationKey: "k-consent",
        },
      });
    });
    const result = await purgeExpired(db, { now: new Date(), closedCaseRetentionDays: 365 });
    expect(result.conversations).toBeGreaterThanOrEqual(1);
    expect(await prismaOf(db).conversation.count({ where: { key: "k-exp" } })).toBe(0);
    const kept = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-consent" } });
    expect(kept.addressSealed).not.toBeNull();
    expect(kept.snapshotSealed).toBeNull();
  });

  it("removes the personal details of long-closed cases", async () => {
    const report = await prismaOf(db).report.create({
      data: {
        code: "TPPO-CLSD-2222",
        pinHash: "x",
        urgency: "high",
        reasons: ["passport_withheld"],
        situation: "held_or_forced_work",
        contentSealed: sealer.sealJson({ narrative: "rahasia" }),
        status: "closed",
        closedAt: new Date(Date.now() - 400 * 86_400_000),
      },
    });
    await prismaOf(db).evidence.create({
      data: {
        reportId: report.id,
        kind: "photo",
        mime: "image/jpeg",
        size: 1,
        dataSealed: sealer.sealJson(1),
      },
    });
    await purgeExpired(db, { now: new Date(), closedCaseRetentionDays: 365 });
    const after = await prismaOf(db).report.findUniqueOrThrow({ where: { id: report.id } });
    expect(after.contentSealed.byteLength).toBe(0);
    expect(after.urgency).toBe("high");
    expect(await prismaOf(db).evidence.count({ where: { reportId: report.id } })).toBe(0);
  });
});
