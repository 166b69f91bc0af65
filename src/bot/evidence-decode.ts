import { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import type { Sharp } from "sharp";

/** What a decoded upload becomes: a clean copy to store, or a refusal the flows explain. */
export type Decoded =
  | { ok: true; kind: "photo" | "document"; mime: string; bytes: Buffer }
  | { ok: false; reason: "unsupported_type" | "unreadable" };

/** Largest image accepted, in pixels (width × height), checked from the header before decoding. */
export const MAX_INPUT_PIXELS = 50_000_000;
/** Longest a single decode may run before it is abandoned. */
export const DECODE_TIMEOUT_MS = 10_000;
/** Decodes running at once; more wait their turn. */
export const DECODE_CONCURRENCY = 2;

/** Types detected from the bytes that are accepted, with the libvips loader each one needs. */
const IMAGE_LOADERS: Record<string, string> = {
  "image/jpeg": "VipsForeignLoadJpegBuffer",
  "image/png": "VipsForeignLoadPngBuffer",
  "image/apng": "VipsForeignLoadPngBuffer",
  "image/webp": "VipsForeignLoadWebpBuffer",
  "image/heic": "VipsForeignLoadHeifBuffer",
  "image/heif": "VipsForeignLoadHeifBuffer",
  "image/gif": "VipsForeignLoadNsgifBuffer",
};
const PDF = "application/pdf";

type SharpFactory = (input: Uint8Array, options: { limitInputPixels: number; failOn: "error" }) => Sharp;

let sharpLoaded: Promise<SharpFactory> | undefined;

/**
 * libvips (sharp) and the type sniffer load at the first upload, not at start: most starts never
 * decode a file, and loading them costs a few hundred milliseconds of the ready time.
 */
function loadSharp(): Promise<SharpFactory> {
  sharpLoaded ??= import("sharp").then(({ default: sharp }) => {
    // Every libvips loader is blocked but the ones above, for this whole process: SVG, TIFF, PDF,
    // matrix, FITS… never run on an upload, whatever slips past the type check.
    sharp.block({ operation: ["VipsForeignLoad"] });
    sharp.unblock({ operation: [...new Set(Object.values(IMAGE_LOADERS))] });
    // Each upload is decoded once: libvips' operation cache (up to 50 MB by default) would only
    // hold decoded evidence in memory after it was stored.
    sharp.cache(false);
    return sharp;
  });
  return sharpLoaded;
}

const queue = pLimit(DECODE_CONCURRENCY);

/**
 * Detects an upload's type from its bytes (never from what the sender declared) and makes a clean
 * copy: images are decoded within {@link MAX_INPUT_PIXELS} and re-encoded as JPEG without any
 * metadata, PDFs are rebuilt from their pages in a worker thread. At most {@link DECODE_CONCURRENCY}
 * decodes run at once, each for at most `timeoutMs`.
 */
export async function decodeEvidence(bytes: Uint8Array, timeoutMs = DECODE_TIMEOUT_MS): Promise<Decoded> {
  const { fileTypeFromBuffer } = await import("file-type");
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  const mime = detected?.mime;
  if (mime === PDF) return queue(() => cleanPdf(bytes, timeoutMs));
  if (mime && mime in IMAGE_LOADERS) return queue(() => cleanImage(bytes, timeoutMs));
  return { ok: false, reason: "unsupported_type" };
}

async function cleanImage(bytes: Uint8Array, timeoutMs: number): Promise<Decoded> {
  try {
    const sharp = await loadSharp();
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" });
    const { width = 0, height = 0 } = await image.metadata();
    if (width * height > MAX_INPUT_PIXELS) return { ok: false, reason: "unreadable" };
    const out = await image
      .timeout({ seconds: Math.max(1, Math.ceil(timeoutMs / 1000)) })
      .rotate()
      .resize({ width: 4096, height: 4096, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality: 85 })
      .toBuffer();
    return { ok: true, kind: "photo", mime: "image/jpeg", bytes: out };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}

async function cleanPdf(bytes: Uint8Array, timeoutMs: number): Promise<Decoded> {
  try {
    const out = await inWorker(bytes, timeoutMs);
    return { ok: true, kind: "document", mime: PDF, bytes: Buffer.from(out) };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}

/**
 * The worker's entry: the compiled file next to this one in the build (`npm start`, where tsx is
 * not installed), or the TypeScript source loaded through tsx in development and tests.
 */
const COMPILED = import.meta.url.endsWith(".js");
const WORKER_TS = JSON.stringify(new URL("./evidence-pdf-worker.ts", import.meta.url).href);
const WORKER: { entry: string | URL; eval: boolean } = COMPILED
  ? { entry: new URL("./evidence-pdf-worker.js", import.meta.url), eval: false }
  : { entry: `import("tsx/esm/api").then((tsx) => tsx.tsImport(${WORKER_TS}, ${WORKER_TS}))`, eval: true };

/** Rebuilds a PDF in a worker thread with bounded memory, terminated when it takes too long. */
function inWorker(bytes: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER.entry, {
      eval: WORKER.eval,
      // The parent's node flags are not the worker's business (and some, like --input-type, are
      // refused for a file entry).
      execArgv: [],
      workerData: new Uint8Array(bytes),
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error("PDF rebuild timed out"));
    }, timeoutMs);
    worker.once("message", (out: Uint8Array) => {
      clearTimeout(timer);
      resolve(out);
      void worker.terminate();
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`PDF worker exited (${code})`));
    });
  });
}

/** Decodes running and waiting now (for metrics and tests). */
export function decodeLoad(): { active: number; pending: number } {
  return { active: queue.activeCount, pending: queue.pendingCount };
}
