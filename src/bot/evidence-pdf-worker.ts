import { parentPort, workerData } from "node:worker_threads";
import { rebuildPdf } from "./evidence-pdf.ts";

/** Runs {@link rebuildPdf} in a worker thread, so a hostile file can be stopped by terminating it. */
const out = await rebuildPdf(workerData as Uint8Array);
parentPort?.postMessage(out, [out.buffer as ArrayBuffer]);
