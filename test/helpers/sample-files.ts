import { PDFDocument, StandardFonts } from "pdf-lib";

/** A small valid one-page PDF with a line of fake text. */
export async function samplePdf(text = "Contoh bukti palsu"): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 100, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
