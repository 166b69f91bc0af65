// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (PGlite folder or PostgreSQL),
// with Prisma's schema engine compiled to WebAssembly. The service does the same at start.
import { acquireDataDirLock } from "../src/bot/pglite-lock.ts";
import { ConfigError, loadConfig, maskUrl } from "../src/config.ts";
import { openDatabase } from "../src/storage/database.ts";
import { applyMigrations } from "../src/storage/migrate.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    for (const line of error.problems) console.error(line);
    process.exit(1);
  }
  throw error;
}
const target = config.DATABASE_URL;
const release = target.kind === "pglite" ? await acquireDataDirLock(target.dir) : async () => {};
const db = await openDatabase(target.kind === "pglite" ? { kind: "pglite", dir: target.dir } : target);
try {
  const applied = await applyMigrations(db.adapterFactory);
  const where = target.kind === "pglite" ? target.dir : maskUrl(target.url);
  console.log(applied.length ? `applied to ${where}: ${applied.join(", ")}` : `${where} is up to date`);
} finally {
  await db.close();
  await release();
}
