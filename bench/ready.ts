import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { nowMs, serviceLaunch, sleep } from "./common.ts";

/**
 * Part 3: how long the compiled service (`node dist/main.js`, as `npm start` runs it) takes from process
 * start to answering /readyz on an existing embedded database, measured from here as a child process.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Ready times (ms) of `runs` starts on one existing embedded database loaded from `templateFile`. */
export async function measureReady(templateFile: string, runs: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), "suara-ready-"));
  try {
    const dataDir = join(dir, "db");
    const db = await PGlite.create({ dataDir, loadDataDir: new Blob([await readFile(templateFile)]) });
    await db.close();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      const started = nowMs();
      const child = spawn(process.execPath, [...serviceLaunch().flags, "dist/main.js"], {
        cwd: ROOT,
        env: {
          ...serviceLaunch().env,
          PATH: process.env.PATH ?? "",
          PORT: String(port),
          DATABASE_URL: `pglite:${dataDir}`,
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "ignore", "inherit"],
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        for (;;) {
          const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) break;
          if (child.exitCode !== null) throw new Error("the service exited before it was ready");
          if (nowMs() - started > 60_000) throw new Error("the service was not ready within 60 s");
          await sleep(10);
        }
        times.push(nowMs() - started);
      } finally {
        child.kill("SIGTERM");
        await exited;
      }
    }
    return times;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
