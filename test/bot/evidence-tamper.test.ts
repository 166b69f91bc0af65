import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvidence, storeEvidence } from "../../src/bot/evidence.ts";
import { exportEvidence } from "../../src/bot/officers/admin-commands.ts";
import { sealOutbox } from "../../src/bot/outbox-payload.ts";
import { Sealer, sealedAt } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds } from "../helpers/databases.ts";
import type { RecordedCall } from "../helpers/fake-telegram.ts";
import { samplePdf } from "../helpers/sample-files.ts";
import { startTelegramService, type TelegramService } from "../helpers/telegram-service.ts";

const OFFICER_CHAT = 720000001;
const isFile = (c: RecordedCall) => c.method === "sendPhoto" || c.method === "sendDocument";

describe.each(databaseKinds())("evidence bytes moved to another row (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  /** Two stored files of a fake conversation, then the photo's sealed bytes copied over the PDF's. */
  async function movedEvidence(conversationKey: string) {
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: "#3366aa" } })
      .png()
      .toBuffer();
    const photo = await storeEvidence(tg.db, tg.svc.sealer, conversationKey, { bytes: png });
    const doc = await storeEvidence(tg.db, tg.svc.sealer, conversationKey, { bytes: await samplePdf() });
    if (!photo.ok || !doc.ok) throw new Error("evidence not stored");
    await prismaOf(tg.db)
      .$executeRaw`UPDATE evidence SET data_sealed = (SELECT data_sealed FROM evidence WHERE id = ${photo.id}) WHERE id = ${doc.id}`;
    return { photo, doc };
  }

  it("does not open for an officer: the file is not sent, a short text is, and the place is logged", async () => {
    const { photo, doc } = await movedEvidence("k-evidence-tamper-1");
    expect(await readEvidence(tg.db, tg.svc.sealer, photo.id)).toMatchObject({ mime: "image/jpeg" });
    expect(await readEvidence(tg.db, tg.svc.sealer, doc.id)).toBeUndefined();

    // The officers' download path: a file message in the outbox, delivered by the Telegram sender.
    const before = tg.fake.calls.length;
    await prismaOf(tg.db).outboxMessage.create({
      data: sealOutbox(
        tg.svc.sealer,
        {
          idempotencyKey: `evidence:${doc.id}`,
          channel: "telegram",
          targetKey: "officer-chat-fake",
          purpose: "officer.evidence",
        },
        {
          address: { chatId: OFFICER_CHAT },
          message: { type: "file", ref: doc.id, name: "TPPO-FAKE-CASE-2" },
        },
      ),
    });
    tg.svc.dispatcher.kick();
    await tg.settle();
    const calls = tg.fake.calls.slice(before);
    expect(calls.filter(isFile)).toEqual([]);
    expect(calls.map((c) => [c.method, c.payload.chat_id, c.payload.text])).toEqual([
      ["sendMessage", OFFICER_CHAT, "TPPO-FAKE-CASE-2: Berkas tidak tersedia lagi."],
    ]);
    const logs = tg.logs.join("");
    expect(logs).toContain("sealed value refused");
    expect(logs).toContain(sealedAt.evidenceData(doc.id));
    expect(logs).not.toContain(String(OFFICER_CHAT));
  });

  it("is left out of the administrator's export, which names its place", async () => {
    const { photo, doc } = await movedEvidence("k-evidence-tamper-2");
    const reportId = randomUUID();
    const code = "TPPO-FAKE-EXPO-3";
    const p = prismaOf(tg.db);
    await p.report.create({
      data: {
        id: reportId,
        code,
        pinHash: "scrypt$fake",
        urgency: "normal",
        reasons: [],
        situation: "other",
        contentSealed: tg.svc.sealer.sealJson({}, sealedAt.reportContent(reportId)),
      },
    });
    await p.evidence.updateMany({ where: { id: { in: [photo.id, doc.id] } }, data: { reportId } });
    const refused: string[] = [];
    const sealer = new Sealer(tg.svc.keys.dataKeys, { onTamper: (place) => refused.push(place) });
    const dir = await mkdtemp(join(tmpdir(), "export-"));
    try {
      const paths = await exportEvidence(tg.db, sealer, code, dir);
      expect(paths).toHaveLength(1);
      expect(await readdir(dir)).toEqual([`${code}-1.jpg`]);
      expect(refused).toEqual([sealedAt.evidenceData(doc.id)]);
      const audit = await p.auditEvent.findFirstOrThrow({ where: { action: "evidence.exported", reportId } });
      expect(audit.details).toEqual({ files: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
