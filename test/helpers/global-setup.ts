import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import type { TestProject } from "vitest/node";
import { JobQueue } from "../../src/bot/jobs.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { applyMigrations } from "../../src/storage/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: { adminUrl: string; template: string } | null;
  }
}

/**
 * Builds one migrated database template per run (PGlite dump file, and a PostgreSQL template
 * database when TEST_DATABASE_URL is set); test files copy it instead of migrating their own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "suara-test-"));
  const log = pino({ level: "silent" });
  const lite = await openDatabase({ kind: "pglite", dir: null });
  await applyMigrations(lite.adapterFactory);
  const liteJobs = new JobQueue({ db: lite, log });
  await liteJobs.start();
  await liteJobs.stop();
  const dump = await lite.pglite!.dumpDataDir("none");
  await lite.close();
  const templatePath = join(dir, "template.tar");
  await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", templatePath);

  const url = process.env.TEST_DATABASE_URL;
  let cleanupPg = async () => {};
  if (url) {
    const template = `suara_tmpl_${Date.now()}_${randomBytes(3).toString("hex")}`;
    await adminQuery(url, `CREATE DATABASE ${template}`);
    const db = await openDatabase({ kind: "postgres", url: withDatabase(url, template) });
    await applyMigrations(db.adapterFactory);
    const jobs = new JobQueue({ db, log });
    await jobs.start();
    await jobs.stop();
    await db.close();
    project.provide("postgresTemplate", { adminUrl: url, template });
    cleanupPg = async () => {
      await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    };
  } else {
    project.provide("postgresTemplate", null);
  }
  return async () => {
    await cleanupPg();
    await rm(dir, { recursive: true, force: true });
  };
}

/** Runs one statement on the server of `url` (database creation cannot run in a transaction). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `url` with its database name replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
