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
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("re-seals legacy values and values of an old key with the new key, each bound to its place", async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
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
    expect(strict.openJson(payload.payloadSealed)).toBe("payload");
    // Once re-sealed, a value is bound: the report content no longer opens as a case message.
    expect(strict.tryOpen(report.contentSealed, sealedAt.caseMessageBody(messageId))).toBeUndefined();
  });
});
