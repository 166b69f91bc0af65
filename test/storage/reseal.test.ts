import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAdminArgs } from "../../src/bot/officers/admin-commands.ts";
import { Sealer, sealedAt } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { resealAll } from "../../src/storage/reseal.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { legacyEnvelope } from "../helpers/legacy-envelope.ts";

describe("keys rotate command line", () => {
  it("parses `keys rotate` and nothing after it", () => {
    expect(parseAdminArgs(["keys", "rotate"])).toEqual({ type: "rotate" });
    expect(() => parseAdminArgs(["keys", "rotate", "--now"])).toThrow();
  });
});

describe.each(databaseKinds())("keys rotate on %s", (kind) => {
  let db: TestDatabase;
  // The tests share one database, and each rotation re-seals every row in it: one pair of keys.
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("re-seals legacy values and values of an old key with the new key, each bound to its place", async () => {
    const legacy = (text: string) => new Uint8Array(legacyEnvelope(oldKey, JSON.stringify(text)));
    const oldSealer = new Sealer([oldKey]);
    const key = `k-${randomUUID()}`;
    const reportId = randomUUID();
    const messageId = randomUUID();
    const p = prismaOf(db);
    await p.conversation.create({
      data: {
        key,
        channel: "console",
        flowId: "main",
        flowVersion: 1,
        snapshotSealed: legacy("snapshot"),
        addressSealed: oldSealer.sealJson("address", sealedAt.conversationAddress(key)),
        channelState: { caseAccess: Buffer.from(legacy("access")).toString("base64") },
      },
    });
    await p.report.create({
      data: {
        id: reportId,
        code: "TPPO-ROTA-TE22",
        pinHash: "scrypt$test",
        urgency: "normal",
        reasons: [],
        situation: "other",
        contentSealed: legacy("report"),
      },
    });
    await p.caseMessage.create({
      data: { id: messageId, reportId, kind: "question", bodySealed: legacy("question") },
    });
    await p.officer.create({
      data: {
        id: "officer-rot",
        channel: "telegram",
        channelKey: `ck-${key}`,
        addressSealed: legacy("officer"),
      },
    });
    const outbox = await p.outboxMessage.create({
      data: {
        idempotencyKey: `i-${key}`,
        channel: "console",
        targetKey: key,
        payloadSealed: legacy("payload"),
      },
    });

    const counts = await resealAll(db, new Sealer([newKey, oldKey], { acceptLegacy: true }));
    expect(counts).toMatchObject({
      conversation: 1,
      report: 1,
      case_message: 1,
      officer: 1,
      outbox_message: 1,
    });

    const strict = new Sealer([newKey]);
    const conversation = await p.conversation.findUniqueOrThrow({ where: { key } });
    expect(strict.openJson(conversation.snapshotSealed!, sealedAt.conversationSnapshot(key))).toBe(
      "snapshot",
    );
    expect(strict.openJson(conversation.addressSealed!, sealedAt.conversationAddress(key))).toBe("address");
    const access = (conversation.channelState as { caseAccess: string }).caseAccess;
    expect(strict.openJson(Buffer.from(access, "base64"), sealedAt.caseAccess(key))).toBe("access");
    const report = await p.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(strict.openJson(report.contentSealed, sealedAt.reportContent(reportId))).toBe("report");
    const message = await p.caseMessage.findUniqueOrThrow({ where: { id: messageId } });
    expect(strict.openJson(message.bodySealed, sealedAt.caseMessageBody(messageId))).toBe("question");
    const officer = await p.officer.findUniqueOrThrow({ where: { id: "officer-rot" } });
    expect(strict.openJson(officer.addressSealed, sealedAt.officerAddress("officer-rot"))).toBe("officer");
    const payload = await p.outboxMessage.findUniqueOrThrow({ where: { id: outbox.id } });
    expect(strict.openJson(payload.payloadSealed, sealedAt.outboxPayload(key, `i-${key}`))).toBe("payload");
    // Once re-sealed, a value is bound: the report content no longer opens as a case message.
    expect(strict.tryOpen(report.contentSealed, sealedAt.caseMessageBody(messageId))).toBeUndefined();
  });

  it("binds outbox payloads and evidence sealed before they had a place to their rows", async () => {
    // Written by an earlier version: sealed at the empty place (and evidence also as version 1).
    const unbound = new Sealer([oldKey]);
    const key = `k-${randomUUID()}`;
    const p = prismaOf(db);
    const rows = await Promise.all(
      ["first", "second"].map((text, i) =>
        p.outboxMessage.create({
          data: {
            idempotencyKey: `i-${key}-${i}`,
            channel: "console",
            targetKey: key,
            payloadSealed: unbound.sealJson({ address: "fake-address", message: { type: "text", text } }),
          },
        }),
      ),
    );
    const evidence = await Promise.all([
      p.evidence.create({
        data: {
          conversationKey: key,
          kind: "photo",
          mime: "image/jpeg",
          size: 3,
          dataSealed: unbound.sealJson("v2"),
        },
      }),
      p.evidence.create({
        data: {
          conversationKey: key,
          kind: "photo",
          mime: "image/jpeg",
          size: 3,
          dataSealed: new Uint8Array(legacyEnvelope(oldKey, JSON.stringify("v1"))),
        },
      }),
    ]);

    const counts = await resealAll(db, new Sealer([newKey, oldKey], { acceptLegacy: true }));
    expect(counts.outbox_message).toBeGreaterThanOrEqual(2);
    expect(counts.evidence).toBeGreaterThanOrEqual(2);

    const strict = new Sealer([newKey]);
    const [first, second] = await Promise.all(
      rows.map((r) => p.outboxMessage.findUniqueOrThrow({ where: { id: r.id } })),
    );
    expect(strict.openJson(first!.payloadSealed, sealedAt.outboxPayload(key, `i-${key}-0`))).toMatchObject({
      message: { text: "first" },
    });
    expect(strict.tryOpen(first!.payloadSealed, "")).toBeUndefined();
    // Bound now: the first payload does not open at the second row.
    expect(strict.tryOpen(first!.payloadSealed, sealedAt.outboxPayload(key, `i-${key}-1`))).toBeUndefined();
    expect(strict.openJson(second!.payloadSealed, sealedAt.outboxPayload(key, `i-${key}-1`))).toMatchObject({
      message: { text: "second" },
    });
    const [v2, v1] = await Promise.all(
      evidence.map((e) => p.evidence.findUniqueOrThrow({ where: { id: e.id } })),
    );
    expect(strict.openJson(v2!.dataSealed, sealedAt.evidenceData(v2!.id))).toBe("v2");
    expect(strict.openJson(v1!.dataSealed, sealedAt.evidenceData(v1!.id))).toBe("v1");
    expect(strict.tryOpen(v2!.dataSealed, sealedAt.evidenceData(v1!.id))).toBeUndefined();

    // Run again, everything is bound already and still opens at its place.
    await resealAll(db, new Sealer([newKey], { acceptLegacy: true }));
    const again = await p.evidence.findUniqueOrThrow({ where: { id: v1!.id } });
    expect(strict.openJson(again.dataSealed, sealedAt.evidenceData(v1!.id))).toBe("v1");
  });

  it("stops at a value that opens neither at its place nor unbound, naming its place", async () => {
    const sealer = new Sealer([newKey]);
    const p = prismaOf(db);
    const victim = await p.evidence.create({
      data: {
        conversationKey: "k-victim",
        kind: "photo",
        mime: "image/jpeg",
        size: 1,
        dataSealed: sealer.sealJson(1),
      },
    });
    const elsewhere = sealer.sealJson("someone else's", sealedAt.evidenceData(victim.id));
    const moved = await p.evidence.create({
      data: { conversationKey: "k-thief", kind: "photo", mime: "image/jpeg", size: 1, dataSealed: elsewhere },
    });
    await expect(resealAll(db, new Sealer([newKey], { acceptLegacy: true }))).rejects.toThrow(
      sealedAt.evidenceData(moved.id),
    );
    await p.evidence.deleteMany({ where: { id: { in: [victim.id, moved.id] } } });
  });
});
