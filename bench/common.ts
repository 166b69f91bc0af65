import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

/** Small helpers shared by the bench parts: timing, statistics, memory and verdict lines. */

const BENCH_ROOT = fileURLToPath(new URL("..", import.meta.url));

export const nowMs = (): number => performance.now();

/**
 * The environment and node flags `npm start` runs the service with (package.json's `start` script:
 * `VAR=value … node --flag … scripts/start.mjs`, e.g. fewer malloc arenas and a smaller young
 * generation), so the bench measures the service as it is run.
 */
export function serviceLaunch(): { env: Record<string, string>; flags: string[] } {
  launch ??= readLaunch();
  return launch;
}

let launch: { env: Record<string, string>; flags: string[] } | undefined;

function readLaunch(): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(readFileSync(`${BENCH_ROOT}/package.json`, "utf8")) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [name, value] = words.shift()!.split("=", 2) as [string, string];
    env[name] = value;
  }
  if (words.shift() !== "node") return { env, flags: [] };
  const flags: string[] = [];
  for (const word of words) {
    if (!word.startsWith("--")) break;
    flags.push(word);
  }
  return { env, flags };
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean without the slowest and fastest `trim` share (GC pauses and timer noise). */
export function trimmedMean(xs: readonly number[], trim = 0.1): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * trim);
  return mean(sorted.slice(cut, sorted.length - cut));
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Where a process's memory is (MB): the V8 heap, memory outside it, array buffers, a WebAssembly memory. */
export interface MemoryBreakdown {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** The embedded database's WebAssembly memory (PGlite), when there is one. */
  wasm?: number;
}

export function memoryBreakdown(wasmBytes?: number): MemoryBreakdown {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  return {
    rss: mb(m.rss),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    ...(wasmBytes === undefined ? {} : { wasm: mb(wasmBytes) }),
  };
}

export function fmtMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

export function fmtRatio(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A target check: printed as PASS/MISSED; any MISSED makes the bench exit 1. */
export interface Verdict {
  name: string;
  ok: boolean;
  detail: string;
}

export function verdictLine(v: Verdict): string {
  return `${v.ok ? "PASS  " : "MISSED"} ${v.name}: ${v.detail}`;
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** A fixed-width table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? pad(c, widths[i]!) : padLeft(c, widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join("\n");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds dist/ (`npm run build`) so the compiled service can be measured, as `npm start` runs it. */
export function buildDist(): void {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: BENCH_ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}
