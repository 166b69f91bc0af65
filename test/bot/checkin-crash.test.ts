import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/storage/database.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import {
  databaseKinds,
  openTestDatabase,
  pgliteTemplateBytes,
  type TestDatabase,
} from "../helpers/databases.ts";

const CHILD = join(import.meta.dirname, "../helpers/checkin-crash-child.ts");

/** Runs one step in a child process and kills it with SIGKILL as soon as the step has committed. */
function step(args: string[]): Promise<unknown> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += String(d);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      const m = /DONE (.*)/.exec(String(d));
      if (!m) return;
      child.once("exit", () => resolve(JSON.parse(m[1]!)));
      child.kill("SIGKILL");
    });
    child.once("exit", (code) => {
      if (code !== null) reject(new Error(`child exited early (${code}): ${err}`));
    });
  });
}

describe.each(databaseKinds())("check-in alerts across SIGKILL on %s", (kind) => {
  let dir: string;
  let target: string;
  let pgCopy: TestDatabase | undefined;
  const keys = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-checkin-crash-"));
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
  });
  afterAll(async () => {
    await pgCopy?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => step([target, ...keys, ...args]);
  async function inspect<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db =
      kind === "pglite"
        ? await openDatabase({ kind: "pglite", dir: target })
        : await openDatabase({ kind: "postgres", url: target });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }
  const counts = () =>
    inspect(async (db) => ({
      family: await prismaOf(db).outboxMessage.count({ where: { purpose: "checkin-family" } }),
      reminders: await prismaOf(db).outboxMessage.count({ where: { targetKey: "w", purpose: "checkin" } }),
      cases: await prismaOf(db).report.count(),
    }));

  it("sends the reminder, the family alert and the officer case once each, with a crash after every step", async () => {
    expect(await run("optin", "w")).toMatch(/^KLG-/);
    await run("fire", "w", "checkin");
    const remind = (await run("fire", "w", "checkin.remind")) as string;
    // pg-boss delivers the job again after the crash: nothing new.
    await run("fire", "w", "checkin.remind", remind);
    expect(await counts()).toEqual({ family: 0, reminders: 2, cases: 0 });
    const missed = (await run("fire", "w", "checkin.missed")) as string;
    await run("fire", "w", "checkin.missed", missed);
    expect(await counts()).toEqual({ family: 1, reminders: 2, cases: 0 });
    await run("fire", "w", "checkin");
    const second = (await run("fire", "w", "checkin.missed")) as string;
    await run("fire", "w", "checkin.missed", second);
    expect(await counts()).toEqual({ family: 2, reminders: 3, cases: 1 });
  }, 240_000);
});
