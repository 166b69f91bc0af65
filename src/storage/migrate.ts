import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { StorageError } from "./storage-error.ts";

/**
 * Migrations with Prisma's own schema engine compiled to WebAssembly, so no native binary is
 * downloaded. It writes the same `_prisma_migrations` table as `prisma migrate deploy`.
 */

/** Project-relative defaults; the CLI scripts and the service use these. */
export const SCHEMA_PATH = resolve("prisma/schema.prisma");
export const MIGRATIONS_DIR = resolve("prisma/migrations");

const NO_FILTERS = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import("@prisma/schema-engine-wasm");
let engineModule: Promise<EngineModule> | undefined;

/** Instantiates the WASM engine once per process (the package is built for bundlers). */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
    g.PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        lastPanic = message;
      },
    };
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = await readFile(join(bgPath, "..", "schema_engine_bg.wasm"));
    const { instance } = await wasmApi().instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}
let lastPanic: string | undefined;

/** The global WebAssembly API (Node's types don't declare it without the DOM library). */
function wasmApi(): {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
} {
  return (globalThis as unknown as { WebAssembly: ReturnType<typeof wasmApi> }).WebAssembly;
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaText: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const mod = await loadEngineModule();
  const engine = await mod.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schemaText]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await fn(engine);
  } catch (error) {
    throw new StorageError(`schema engine failed: ${describe(error)}`, { cause: error });
  } finally {
    engine.free();
  }
}

function describe(error: unknown): string {
  if (lastPanic) return lastPanic;
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Reads `prisma/migrations` into the engine's list format, oldest first. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockPath = join(dir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  dir: string = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrationsList = await readMigrations(dir);
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(adapterFactory, schemaText, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return out.appliedMigrationNames;
  });
}

/**
 * SQL that takes a database at the state of `adapterFactory` (which must already have every
 * migration applied) to the schema in `schemaText`. An up-to-date schema gives
 * `-- This is an empty migration.`
 */
export async function diffToSchema(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaText: string,
): Promise<string> {
  return withEngine(adapterFactory, schemaText, async (engine) => {
    const files = [{ path: SCHEMA_PATH, content: schemaText }];
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: resolve(".") },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    } as Parameters<SchemaEngine["diff"]>[0]);
    return result.stdout ?? "";
  });
}

/** Whether a diff script is the engine's "nothing to do". */
export function isEmptyMigration(sql: string): boolean {
  return sql.trim() === "" || sql.trim() === "-- This is an empty migration.";
}
