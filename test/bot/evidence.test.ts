import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { PDFDocument, PDFName, PDFString, StandardFonts } from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readEvidence, storeEvidence } from "../../src/bot/evidence.ts";
import { decodeEvidence, decodeLoad, MAX_INPUT_PIXELS } from "../../src/bot/evidence-decode.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { samplePdf } from "../helpers/sample-files.ts";

const KEY = "evidence-test-conversation";

/** A PNG whose header claims `width` × `height` but whose data is one tiny row (a decompression bomb's header). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } })
    .png()
    .toBuffer();
  const out = Buffer.from(png);
  // IHDR starts at byte 8: length(4) "IHDR"(4) width(4) height(4) … crc(4) over type and data.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** A PDF with author/creator metadata, an OpenAction JavaScript, a form field, a link and an attachment. */
async function hostilePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setAuthor("Pelapor Palsu Satu");
  doc.setCreator("FakeCreatorApp 9");
  doc.setProducer("FakeProducer 3");
  doc.setTitle("Judul Rahasia Palsu");
  const page = doc.addPage([300, 300]);
  page.drawText("bukti palsu", { x: 20, y: 250, font: await doc.embedFont(StandardFonts.Helvetica) });
  const ctx = doc.context;
  const js = ctx.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of("app.alert('fakeScriptMarker')") });
  doc.catalog.set(PDFName.of("OpenAction"), ctx.register(js));
  page.node.set(PDFName.of("AA"), ctx.obj({ O: ctx.register(js) }));
  doc.getForm().createTextField("fakeFieldName").addToPage(page, { x: 20, y: 150, width: 200, height: 30 });
  await doc.attach(Buffer.from("fake attached secret"), "fakeAttachment.txt", { mimeType: "text/plain" });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe("safe evidence decoding", () => {
  let db: TestDatabase;
  const sealer = new Sealer([randomBytes(32)]);
  const stored = () => prismaOf(db).evidence.count({ where: { conversationKey: KEY } });

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("refuses an SVG declared as image/png before any decoder sees it, storing nothing", async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000">' +
        '<filter id="f"><feGaussianBlur stdDeviation="9999"/></filter><rect width="100%" height="100%" filter="url(#f)"/></svg>',
    );
    const result = await storeEvidence(db, sealer, KEY, { bytes: svg, mime: "image/png" });
    expect(result).toEqual({ ok: false, reason: "unsupported_type" });
    expect(await stored()).toBe(0);
  });

  it("refuses a PNG declaring 50000×50000 pixels from its header, storing nothing", async () => {
    const bomb = await pngClaiming(50_000, 50_000);
    expect(50_000 * 50_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const result = await storeEvidence(db, sealer, KEY, { bytes: bomb, mime: "image/png" });
    expect(result).toEqual({ ok: false, reason: "unreadable" });
    expect(await stored()).toBe(0);
  });

  it("refuses formats outside the list (TIFF, BMP-like, text) whatever was declared", async () => {
    const tiff = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } })
      .tiff()
      .toBuffer();
    for (const [bytes, mime] of [
      [tiff, "image/tiff"],
      [tiff, "image/jpeg"],
      [Buffer.from("just some text"), "application/pdf"],
      [randomBytes(512), undefined],
    ] as const) {
      expect(await storeEvidence(db, sealer, KEY, { bytes, mime })).toEqual({
        ok: false,
        reason: "unsupported_type",
      });
    }
    expect(await stored()).toBe(0);
  });

  it("reads the type from the bytes: a JPEG declared as a PDF is stored as a clean photo", async () => {
    const jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: "#3366aa" } })
      .withMetadata({ exif: { IFD0: { Artist: "Fake Artist Name" } } })
      .jpeg()
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const result = await storeEvidence(db, sealer, KEY, { bytes: jpeg, mime: "application/pdf" });
    if (!result.ok) throw new Error(result.reason);
    expect(result).toMatchObject({ kind: "photo", mime: "image/jpeg" });
    const back = await readEvidence(db, sealer, result.id);
    expect((await sharp(back!.bytes).metadata()).exif).toBeUndefined();
  });

  it("refuses a PDF it cannot parse", async () => {
    const broken = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(300)]);
    expect(await storeEvidence(db, sealer, "other-key", { bytes: broken })).toEqual({
      ok: false,
      reason: "unreadable",
    });
  });

  it("rebuilds a PDF without metadata, JavaScript, actions, forms, annotations or attachments", async () => {
    const original = await hostilePdf();
    const before = await PDFDocument.load(original, { updateMetadata: false });
    expect(before.getAuthor()).toBe("Pelapor Palsu Satu");
    for (const marker of [
      "/Author",
      "/Creator",
      "fakeScriptMarker",
      "/OpenAction",
      "/AcroForm",
      "/EmbeddedFile",
    ]) {
      expect(original.toString("latin1")).toContain(marker);
    }
    const result = await storeEvidence(db, sealer, KEY, { bytes: original, mime: "application/pdf" });
    if (!result.ok) throw new Error(result.reason);
    expect(result).toMatchObject({ kind: "document", mime: "application/pdf" });
    const back = (await readEvidence(db, sealer, result.id))!;
    const text = back.bytes.toString("latin1");
    for (const gone of [
      "/Author",
      "/Creator",
      "/Producer",
      "/Title",
      "fakeScriptMarker",
      "/JavaScript",
      "/OpenAction",
      "/AA",
      "/AcroForm",
      "/Annots",
      "/Names",
      "/EmbeddedFile",
      "/Info",
      "/Metadata",
    ]) {
      expect(text).not.toContain(gone);
    }
    const reopened = await PDFDocument.load(back.bytes, { updateMetadata: false });
    expect(reopened.getPageCount()).toBe(1);
    expect(reopened.getAuthor()).toBeUndefined();
    expect(reopened.getCreator()).toBeUndefined();
  });

  it("keeps no hash of the original or of the stored copy", async () => {
    const pdf = await samplePdf("another fake page");
    const result = await storeEvidence(db, sealer, "hash-key", { bytes: pdf });
    if (!result.ok) throw new Error(result.reason);
    const clean = (await readEvidence(db, sealer, result.id))!.bytes;
    const rows = await prismaOf(db).$queryRawUnsafe<unknown[]>(
      "SELECT * FROM evidence WHERE id = $1",
      result.id,
    );
    const dump = JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    for (const data of [pdf, clean]) {
      expect(dump).not.toContain(createHash("sha256").update(data).digest("hex"));
    }
  });

  it("abandons a decode that runs past its time limit", async () => {
    expect(await decodeEvidence(await hostilePdf(), 1)).toEqual({ ok: false, reason: "unreadable" });
  });

  it("runs at most two decodes at once; the rest wait their turn", async () => {
    const pdf = await samplePdf();
    const runs = Array.from({ length: 5 }, () => decodeEvidence(pdf));
    await vi.waitFor(() => expect(decodeLoad().active + decodeLoad().pending).toBe(5));
    expect(decodeLoad().active).toBeLessThanOrEqual(2);
    const results = await Promise.all(runs);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(decodeLoad()).toEqual({ active: 0, pending: 0 });
  });
});
