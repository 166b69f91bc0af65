import { PDFDocument, PDFName } from "pdf-lib";

/** Page entries that can carry actions, attachments, form fields or metadata. */
const PAGE_KEYS_DROPPED = ["Annots", "AA", "Metadata", "PieceInfo", "Thumb", "B"] as const;

/**
 * Rebuilds a PDF from its pages alone: a new document receives copies of the pages, without their
 * annotations (links, form widgets, file attachments), page actions and page metadata. Nothing of
 * the original catalog comes along: no `/OpenAction`, `/Names` (JavaScript, embedded files),
 * `/AcroForm`, outlines or XMP, and the document information is left empty. Encrypted or broken
 * files throw.
 */
export async function rebuildPdf(bytes: Uint8Array): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  const indices = source.getPageIndices();
  if (indices.length === 0) throw new Error("PDF without pages");
  // Stripped in the source, before copying: the copier follows every reference, and an annotation
  // pointing back at its page would otherwise bring a second, unstripped copy of the page along.
  for (const page of source.getPages()) {
    for (const key of PAGE_KEYS_DROPPED) page.node.delete(PDFName.of(key));
  }
  const out = await PDFDocument.create({ updateMetadata: false });
  for (const page of await out.copyPages(source, indices)) out.addPage(page);
  return out.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
