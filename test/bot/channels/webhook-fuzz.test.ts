import { createHmac } from "node:crypto";
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import type { TestDatabase } from "../../helpers/databases.ts";
import { startTelegramService, type TelegramService } from "../../helpers/telegram-service.ts";
import {
  messageDelivery,
  newWaId,
  startWhatsAppService,
  type WhatsAppTestService,
} from "../../helpers/whatsapp-service.ts";

/** Rows anything inbound could leave behind. */
async function counts(db: TestDatabase) {
  const [receipts, evidence, conversations, reports, outbox] = await Promise.all([
    prismaOf(db).inboundReceipt.count(),
    prismaOf(db).evidence.count(),
    prismaOf(db).conversation.count(),
    prismaOf(db).report.count(),
    prismaOf(db).outboxMessage.count(),
  ]);
  return { receipts, evidence, conversations, reports, outbox };
}

/** Bodies that are not what a webhook expects: random bytes, text, JSON of any shape, broken JSON. */
const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null")),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)?.slice(0, -1) ?? "{")),
);

/** An oversized body (over the 2 MB limit), refused before it is read. */
const OVERSIZED = Buffer.alloc(2 * 1024 * 1024 + 1, 0x7b);

/**
 * POSTs on a connection of its own and resolves with the status: the server answers an oversized
 * body without reading it and closes the connection, which must not be one a later request reuses.
 */
function postAlone(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const req = request(url, { method: "POST", agent: false, headers }, (res) => {
      status = res.statusCode;
      res.resume();
      resolve(status ?? 0);
    });
    // Writing the rest of a refused body may fail once the answer is in; only an error before it counts.
    req.on("error", (error) => (status === undefined ? reject(error) : resolve(status)));
    req.end(body);
  });
}

/** File contents for a media message: random bytes, optionally behind a real magic number. */
const fileBytes = fc
  .tuple(
    fc.constantFrom(
      "",
      "\xff\xd8\xff",
      "\x89PNG\r\n\x1a\n",
      "GIF89a",
      "%PDF-1.7\n",
      "<svg xmlns='http://www.w3.org/2000/svg'>",
      "RIFF\x00\x00\x00\x00WEBPVP8 ",
    ),
    fc.uint8Array({ minLength: 0, maxLength: 4096 }),
  )
  .map(([magic, rest]) => Buffer.concat([Buffer.from(magic, "latin1"), Buffer.from(rest)]));

describe("webhook fuzzing (fast-check)", () => {
  describe("Telegram", () => {
    let tg: TelegramService;
    beforeAll(async () => {
      tg = await startTelegramService("pglite");
    });
    afterAll(async () => {
      await tg?.close();
    });

    const postRaw = (body: Buffer, secret: string | null) =>
      fetch(`${tg.url}/telegram/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
        },
        body,
      });

    it("answers 401 to any body without the right secret and stores nothing", async () => {
      const before = await counts(tg.db);
      await fc.assert(
        fc.asyncProperty(garbage, fc.option(fc.string({ maxLength: 80 })), async (body, secret) => {
          const res = await postRaw(body, secret);
          expect(res.status).toBe(401);
        }),
        { numRuns: 40 },
      );
      expect(await counts(tg.db)).toEqual(before);
    });

    it("answers a 4xx to malformed or oversized bodies with the right secret, stores nothing and keeps serving", async () => {
      const before = await counts(tg.db);
      await fc.assert(
        fc.asyncProperty(garbage, async (body) => {
          const res = await postRaw(body, tg.svc.config.TELEGRAM_WEBHOOK_SECRET ?? "");
          expect(res.status, body.toString("latin1").slice(0, 200)).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 60 },
      );
      const secretHeader = { "x-telegram-bot-api-secret-token": tg.svc.config.TELEGRAM_WEBHOOK_SECRET ?? "" };
      expect(await postAlone(`${tg.url}/telegram/webhook`, secretHeader, OVERSIZED)).toBe(413);
      expect(await counts(tg.db)).toEqual(before);
      expect((await fetch(`${tg.url}/healthz`)).status).toBe(200);
    });

    it("stores no evidence for random file bytes, whatever type is declared", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fileBytes,
          fc.constantFrom("image/png", "image/jpeg", "application/pdf", "image/svg+xml", "application/zip"),
          async (bytes, mime) => {
            n += 1;
            const u = tg.user(720_000_000 + n);
            tg.fake.addFile(`fuzz-${n}`, bytes, `documents/fuzz_${n}`);
            const res = await tg.post({
              update_id: u.nextUpdateId(),
              ...u.message({
                document: { file_id: `fuzz-${n}`, file_unique_id: `f${n}`, file_name: "x", mime_type: mime },
              }),
            });
            expect(res.status).toBe(200);
          },
        ),
        { numRuns: 20 },
      );
      await tg.settle();
      expect(await prismaOf(tg.db).evidence.count()).toBe(0);
      expect((await fetch(`${tg.url}/healthz`)).status).toBe(200);
    });
  });

  describe("WhatsApp", () => {
    let wa: WhatsAppTestService;
    beforeAll(async () => {
      wa = await startWhatsAppService("pglite");
    });
    afterAll(async () => {
      await wa?.close();
    });

    const sign = (body: Buffer) => `sha256=${createHmac("sha256", wa.appSecret).update(body).digest("hex")}`;

    it("answers 401 to any body without a valid signature and stores nothing", async () => {
      const before = await counts(wa.db);
      await fc.assert(
        fc.asyncProperty(
          garbage,
          fc.option(
            fc.oneof(
              fc.string({ maxLength: 80 }),
              fc
                .string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 })
                .map((h) => `sha256=${h}`),
            ),
          ),
          async (body, signature) => {
            const res = await wa.post(body, { signature });
            expect(res.status).toBe(401);
          },
        ),
        { numRuns: 40 },
      );
      expect(await counts(wa.db)).toEqual(before);
    });

    it("answers signed malformed bodies with 200 (as Meta expects) or 413 when oversized, and stores nothing", async () => {
      const before = await counts(wa.db);
      await fc.assert(
        fc.asyncProperty(garbage, async (body) => {
          const res = await wa.post(body, { signature: sign(body) });
          expect(res.status).toBe(200);
        }),
        { numRuns: 60 },
      );
      const signed = { "content-type": "application/json", "x-hub-signature-256": sign(OVERSIZED) };
      expect(await postAlone(wa.url("/whatsapp/webhook"), signed, OVERSIZED)).toBe(413);
      expect(await counts(wa.db)).toEqual(before);
      expect((await fetch(wa.url("/healthz"))).status).toBe(200);
    });

    it("stores no evidence for random media bytes, whatever type is declared", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fileBytes,
          fc.constantFrom("image/png", "image/jpeg", "application/pdf", "image/svg+xml"),
          fc.constantFrom("image", "document"),
          async (bytes, mime, type) => {
            n += 1;
            wa.graph.addMedia(`fuzz-media-${n}`, bytes, mime);
            const res = await wa.post(
              messageDelivery(newWaId(), {
                id: `wamid.fuzz-${n}`,
                type,
                [type]: { id: `fuzz-media-${n}`, mime_type: mime },
              }),
            );
            expect(res.status).toBe(200);
          },
        ),
        { numRuns: 20 },
      );
      expect(await prismaOf(wa.db).evidence.count()).toBe(0);
      expect((await fetch(wa.url("/healthz"))).status).toBe(200);
    });
  });
});
