import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  databaseKinds,
  openTestDatabase,
  pgliteTemplateBytes,
  type TestDatabase,
} from "../helpers/databases.ts";
import { eventually } from "../helpers/test-engine.ts";

const CHILD = join(import.meta.dirname, "../helpers/crash-child.ts");

function startChild(args: string[]): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += String(d);
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      if (/COMMITTED|RUNNING|CLAIMED/.test(String(d))) resolve();
    });
    child.once("exit", (code) => reject(new Error(`child exited early (${code}): ${err}`)));
  });
  return { child, ready };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe.each(databaseKinds())("engine crash safety on %s", (kind) => {
  let dir: string;
  let target: string;
  let pgCopy: TestDatabase | undefined;
  let recorder: Server;
  let recorderUrl: string;
  const delivered: { key: string; text: string }[] = [];
  const key = randomBytes(32).toString("base64");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-crash-"));
    if (kind === "pglite") {
      target = join(dir, "db");
      const db = await PGlite.create({
        dataDir: target,
        loadDataDir: new Blob([await pgliteTemplateBytes()]),
      });
      await db.close();
    } else {
      pgCopy = await openTestDatabase("postgres");
      target = pgCopy.copyUrl!;
    }
    recorder = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += String(c);
      });
      req.on("end", () => {
        delivered.push(JSON.parse(body));
        res.end("ok");
      });
    });
    await new Promise<void>((r) => recorder.listen(0, "127.0.0.1", r));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/`;
  });

  /** The outbox rows of one person, read while no child has the database open (PGlite). */
  async function outboxOf(targetKey: string): Promise<{ status: string; attempts: number }[]> {
    const sql = "SELECT status, attempts FROM outbox_message WHERE target_key = $1 ORDER BY seq";
    if (kind === "pglite") {
      const db = await PGlite.create({ dataDir: target });
      try {
        return (await db.query<{ status: string; attempts: number }>(sql, [targetKey])).rows;
      } finally {
        await db.close();
      }
    }
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query(sql, [targetKey])).rows;
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    recorder?.close();
    await pgCopy?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it("after a SIGKILL, sends a committed reply exactly once and fires the pending timer once", async () => {
    const first = startChild(["commit", target, recorderUrl, key]);
    await first.ready;
    await kill9(first.child);
    expect(delivered).toEqual([]);

    const second = startChild(["run", target, recorderUrl, key]);
    try {
      await second.ready;
      await eventually(() => delivered.some((d) => d.text === "timer fired"), 20_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(delivered.map((d) => d.text)).toEqual(["timer set", "timer fired"]);
      expect(new Set(delivered.map((d) => d.key)).size).toBe(2);
    } finally {
      await kill9(second.child);
    }
  }, 60_000);

  it("sends a reply claimed by a killed process soon after the restart, once, and the next one after it", async () => {
    const first = startChild(["hang", target, recorderUrl, key]);
    await first.ready;
    await kill9(first.child);
    // The dead process's claim is held (status "sending"), and the second reply waits behind it.
    expect(await outboxOf("k-hang")).toEqual([
      { status: "sending", attempts: 1 },
      { status: "pending", attempts: 0 },
    ]);

    const texts = () => delivered.filter((d) => /first|second/.test(d.text)).map((d) => d.text);
    const second = startChild(["run", target, recorderUrl, key]);
    try {
      await second.ready;
      // Far less than the two-minute lease this replaced; a generous bound for a loaded machine.
      await eventually(() => texts().length === 2, 30_000);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await kill9(second.child);
    }
    expect(texts()).toEqual(["#1 first", "#2 second"]);
    // The dead process's claim was attempt 1; the restart sent it on a new claim, exactly once.
    expect(await outboxOf("k-hang")).toEqual([
      { status: "sent", attempts: 2 },
      { status: "sent", attempts: 1 },
    ]);
  }, 90_000);
});
