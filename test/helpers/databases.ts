import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/storage/database.ts";
import { adminQuery, withDatabase } from "./global-setup.ts";

/** The databases a contract suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export type TestDatabaseKind = "pglite" | "postgres";

export function databaseKinds(): TestDatabaseKind[] {
  return inject("postgresTemplate") ? ["pglite", "postgres"] : ["pglite"];
}

/** Whether CI demands the PostgreSQL suite (CI=true) although TEST_DATABASE_URL is missing. */
export function postgresMissingInCi(): boolean {
  return process.env.CI === "true" && !inject("postgresTemplate");
}

export interface TestDatabase extends Database {
  /** Closes the database and, on PostgreSQL, drops the copy. */
  destroy(): Promise<void>;
  /** Connection string of the copy (PostgreSQL only), for child processes. */
  readonly copyUrl?: string;
}

/** A fresh, migrated database copied from the run's template. */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const bytes = await readFile(inject("pgliteTemplate"));
    const db = await openDatabase({ kind: "pglite", dir: null, loadDataDir: new Blob([bytes]) });
    return Object.assign(db, { destroy: () => db.close() });
  }
  const pg = inject("postgresTemplate");
  if (!pg) throw new Error("TEST_DATABASE_URL is not set");
  const name = `suara_t_${Date.now()}_${randomBytes(4).toString("hex")}`;
  await adminQuery(pg.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${pg.template}`);
  const url = withDatabase(pg.adminUrl, name);
  const db = await openDatabase({ kind: "postgres", url, poolSize: 6 });
  return Object.assign(db, {
    copyUrl: url,
    async destroy() {
      await db.close();
      await adminQuery(pg.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

/** A PGlite data directory loaded from the template (for child-process tests). */
export async function pgliteTemplateBytes(): Promise<Buffer> {
  return readFile(inject("pgliteTemplate"));
}
