import { createHash } from "node:crypto";
import type { Database } from "./database.ts";
import { dbQuery } from "./driver.ts";
import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "./migrate.ts";
import { prismaOf } from "./prisma-access.ts";

/** How many migrations the database has applied (and failed), from Prisma's own table. */
export async function migrationStatus(db: Database): Promise<{ applied: number; failed: number }> {
  const rows = await prismaOf(db).$queryRaw<{ applied: bigint | number; failed: bigint | number }[]>`
    SELECT count(*) FILTER (WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied,
           count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL) AS failed
    FROM _prisma_migrations`;
  return { applied: Number(rows[0]?.applied ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}

/**
 * Applies pending migrations (see {@link applyMigrations}); returns the names applied. When every
 * migration in `dir` is already applied with the same checksum, the schema engine (a large
 * WebAssembly module that stays in memory once loaded) is not loaded at all.
 */
export async function applyPendingMigrations(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  return (await unappliedMigrations(db, dir)).length === 0 ? [] : applyMigrations(db.adapterFactory, dir);
}

/**
 * The migrations in `dir` that the database has not applied, or applied from a different file (by
 * Prisma's checksum, the SHA-256 of `migration.sql`). All of them when the table is missing.
 */
export async function unappliedMigrations(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const list = await readMigrations(dir);
  const applied = await dbQuery<{ migration_name: string; checksum: string }>(
    db,
    `SELECT migration_name, checksum FROM _prisma_migrations
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  ).catch(() => []);
  const checksums = new Map(applied.map((r) => [r.migration_name, r.checksum]));
  return list.migrationDirectories
    .filter((m) => {
      const content = m.migrationFile.content;
      const sum = content.tag === "ok" ? createHash("sha256").update(content.value).digest("hex") : "";
      return checksums.get(m.path) !== sum;
    })
    .map((m) => m.path);
}
