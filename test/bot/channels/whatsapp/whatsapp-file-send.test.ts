import { randomBytes } from "node:crypto";
import pino from "pino";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkWhatsAppLimits } from "../../../../src/bot/channels/whatsapp/send-schema.ts";
import { createWhatsAppClient } from "../../../../src/bot/channels/whatsapp/whatsapp-client.ts";
import { createWhatsAppSender } from "../../../../src/bot/channels/whatsapp/whatsapp-sender.ts";
import type { ChannelSender } from "../../../../src/bot/dispatcher.ts";
import { SendError } from "../../../../src/bot/dispatcher.ts";
import { storeEvidence } from "../../../../src/bot/evidence.ts";
import { Sealer } from "../../../../src/storage/crypto.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { openTestDatabase, type TestDatabase } from "../../../helpers/databases.ts";
import { type FakeGraph, startFakeGraph } from "../../../helpers/fake-graph.ts";
import { samplePdf } from "../../../helpers/sample-files.ts";

const PHONE_ID = "100000000000001";
const OFFICER = "620000000091";
const VERSION = "v23.0";
const CODE = "TPPO-7K3M-9QX2";

describe("WhatsApp sender: evidence files", () => {
  let graph: FakeGraph;
  let db: TestDatabase;
  let sender: ChannelSender;
  const sealer = new Sealer([randomBytes(32)]);
  const meta = (targetKey = "officer-chat-key") => ({
    idempotencyKey: `k-${randomBytes(4).toString("hex")}`,
    purpose: "officer.evidence",
    targetKey,
  });
  const store = async (bytes: Uint8Array, mime: string) => {
    const stored = await storeEvidence(db, sealer, "conv", { bytes, mime });
    if (!stored.ok) throw new Error(`not stored: ${stored.reason}`);
    return stored;
  };

  beforeAll(async () => {
    graph = await startFakeGraph({ token: "test-token" });
    db = await openTestDatabase("pglite");
    sender = createWhatsAppSender({
      client: createWhatsAppClient({
        accessToken: "test-token",
        phoneNumberId: PHONE_ID,
        baseUrl: graph.baseUrl,
        graphVersion: VERSION,
      }),
      db,
      sealer,
      log: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await graph?.close();
    await db?.destroy();
  });
  beforeEach(() => {
    graph.calls.length = 0;
  });

  it("uploads a photo as multipart media, then sends it as an image by media id", async () => {
    const png = await sharp({ create: { width: 30, height: 20, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    const photo = await store(png, "image/png");
    const result = await sender.send(
      { waId: OFFICER },
      { type: "file", ref: photo.id, name: `${CODE}-1`, caption: `Bukti 1/2 untuk ${CODE}` },
      meta(),
    );
    expect(result?.externalId).toMatch(/^wamid\.fake-/);
    expect(graph.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /${VERSION}/${PHONE_ID}/media`,
      `POST /${VERSION}/${PHONE_ID}/messages`,
    ]);
    expect(graph.calls[0]!.headers.authorization).toBe("Bearer test-token");
    const upload = graph.uploads().at(-1)!;
    expect(upload).toMatchObject({
      messagingProduct: "whatsapp",
      type: "image/jpeg",
      fileType: "image/jpeg",
      fileName: `${CODE}-1.jpg`,
      size: photo.size,
    });
    const sent = graph.sentMessages().at(-1)!;
    expect(sent).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: OFFICER,
      type: "image",
      image: { id: upload.id, caption: `Bukti 1/2 untuk ${CODE}` },
    });
    const { to: _to, ...body } = sent;
    expect(checkWhatsAppLimits(body)).toEqual([]);
  });

  it("sends a PDF as a document with the code as its file name, never the bytes in the message", async () => {
    const doc = await store(await samplePdf(), "application/pdf");
    await sender.send({ waId: OFFICER }, { type: "file", ref: doc.id, name: `${CODE}-2` }, meta());
    const upload = graph.uploads().at(-1)!;
    expect(upload).toMatchObject({
      type: "application/pdf",
      fileName: `${CODE}-2.pdf`,
      size: doc.size,
    });
    expect(graph.sentMessages().at(-1)).toMatchObject({
      type: "document",
      document: { id: upload.id, filename: `${CODE}-2.pdf` },
    });
  });

  it("sends a short text when the evidence is gone, and uploads nothing", async () => {
    const before = graph.uploads().length;
    await sender.send(
      { waId: OFFICER },
      { type: "file", ref: "00000000-0000-4000-8000-000000000000", name: `${CODE}-3` },
      meta(),
    );
    expect(graph.uploads()).toHaveLength(before);
    expect(graph.sentMessages().at(-1)).toMatchObject({
      type: "text",
      text: { body: `${CODE}-3: Berkas tidak tersedia lagi.` },
    });
  });

  it("holds a file for a conversation whose 24-hour window is closed, before uploading anything", async () => {
    const doc = await store(await samplePdf(), "application/pdf");
    await prismaOf(db).conversation.create({
      data: {
        key: "closed-window",
        channel: "whatsapp",
        flowId: "main",
        flowVersion: 1,
        lastInboundAt: new Date(Date.now() - 25 * 3_600_000),
      },
    });
    const attempt = sender.send({ waId: OFFICER }, { type: "file", ref: doc.id }, meta("closed-window"));
    await expect(attempt).rejects.toBeInstanceOf(SendError);
    await expect(attempt).rejects.toMatchObject({ disposition: "hold" });
    expect(graph.calls).toEqual([]);
  });
});
