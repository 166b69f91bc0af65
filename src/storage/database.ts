import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { exposeTransactions, linkDriver, pgNamed, setDriver } from "./driver.ts";
import { type Prisma, PrismaClient } from "./generated/client.ts";
import { type NamedRunner, pglitePrepared } from "./pglite-prepared.ts";
import { startVacuum } from "./pglite-vacuum.ts";
import { bindPrismaClient } from "./prisma-handles.ts";
import { makePrivate } from "./private-files.ts";
import { SerialQueue } from "./serial-queue.ts";

/** Where the data lives: the embedded PGlite (a folder, or memory) or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: "pglite"; dir: string | null; loadDataDir?: Blob }
  | { kind: "postgres"; url: string; poolSize?: number };

declare const TRANSACTION: unique symbol;

/**
 * An open transaction as code outside src/storage sees it: a value to hand to repository
 * functions, with nothing to query on. Repositories reach Prisma through `prisma-access.ts`.
 */
export interface Transaction {
  readonly [TRANSACTION]: "storage transaction";
}

/** The transaction passed to repository functions (opaque outside src/storage). */
export type Tx = Transaction;

/** Runs SQL for pg-boss: `{ rows }` like node-postgres. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * An open database: the Prisma client plus what migrations and pg-boss need. On PGlite (one
 * connection) every transaction goes through one in-process queue, so bursts wait their turn
 * instead of hitting Prisma's `maxWait`.
 */
export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** For pg-boss outside a transaction; on PostgreSQL pg-boss uses its own pool instead. */
  readonly sql: SqlExecutor;
  /** The PostgreSQL connection string, when on PostgreSQL. */
  readonly url?: string;
  /** The embedded database handle, when on PGlite. */
  readonly pglite?: PGlite;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const TX_OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

/**
 * PGlite keeps PostgreSQL's defaults (128 MB shared buffers, WAL kept up to 1 GB), and its
 * WebAssembly memory grows to hold them and never shrinks; an in-memory database also holds its WAL
 * files in memory. The buffers only cache files that are themselves in memory or the page cache,
 * so small ones cost little; a small WAL means more frequent checkpoints (fsync is off in PGlite).
 */
const PGLITE_MEMORY_SETTINGS = [
  "shared_buffers=16MB",
  "wal_buffers=512kB",
  "max_wal_size=32MB",
  "min_wal_size=32MB",
] as const;

/**
 * The hot statements are prepared once per connection (driver.ts), which saves parsing them; but
 * PostgreSQL would also keep one generic plan per statement from its sixth run on, chosen for the
 * table as it was then. Planned while the outbox or the conversations were small (a new deployment,
 * a fresh connection before any ANALYZE), that plan scans the whole table: the outbox claim then took
 * most of a second once a backlog of thousands of messages built up, and a burst took tens of seconds
 * to drain. Each run is planned for the table as it is (planning these statements costs well under a
 * millisecond).
 */
const CUSTOM_PLANS = "plan_cache_mode=force_custom_plan";

/** What callers get for Prisma's transaction client (see {@link Tx}). */
function asTx(client: Prisma.TransactionClient): Tx {
  return client as unknown as Tx;
}

/**
 * Completes an open database: binds its Prisma client for src/storage (`prisma-access.ts`), the
 * only way to reach it.
 */
function opened(db: Database, prisma: PrismaClient): Database {
  return bindPrismaClient(db, prisma);
}

/** Opens the database at `target` (creating the PGlite folder when needed). Does not migrate. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") return openPostgres(target.url, target.poolSize ?? 8);
  // Each database's driver and Prisma adapter load only when that database is used.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("pglite-prisma-adapter"),
  ]);
  let loadDataDir = target.loadDataDir;
  if (target.dir) {
    await mkdir(target.dir, { recursive: true, mode: 0o700 });
    // initdb straight onto disk is about twice as slow as in memory; a new folder is therefore
    // initialised in memory and loaded from that dump.
    if (!loadDataDir && !existsSync(join(target.dir, "PG_VERSION"))) {
      const scratch = await PGlite.create();
      loadDataDir = await scratch.dumpDataDir("none");
      await scratch.close();
    }
  }
  const pglite = await PGlite.create({
    ...(target.dir ? { dataDir: target.dir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    startParams: [
      ...PGlite.defaultStartParams,
      ...[...PGLITE_MEMORY_SETTINGS, CUSTOM_PLANS].flatMap((s) => ["-c", s]),
    ],
  });
  // Prisma stores DateTime as UTC in `timestamp` columns; SQL `now()` must agree.
  await pglite.exec("SET TIME ZONE 'UTC'");
  const dir = target.dir;
  if (dir) await makePrivate(dir);
  const adapterFactory = new PrismaPGlite(pglite);
  const named = pglitePrepared(pglite);
  // No autovacuum in PGlite; the rows the hot statements change count as the writes that call for
  // one (a statement may write a whole batch's rows).
  const vacuum = startVacuum(pglite);
  const counted =
    (run: NamedRunner): NamedRunner =>
    async (statement, values) => {
      const result = await run(statement, values);
      vacuum.wrote(Math.max(1, result.affectedRows ?? 0));
      return result;
    };
  const prisma = new PrismaClient({
    adapter: exposeTransactions(adapterFactory, { named: () => counted(named.inTransaction) }),
  });
  const queue = new SerialQueue();
  let closed = false;
  const db = opened(
    {
      kind: "pglite",
      adapterFactory,
      pglite,
      sql: pgliteExecutor(pglite),
      transaction: (fn) => queue.run(() => driverTransaction(prisma, fn)),
      async close() {
        if (closed) return;
        closed = true;
        await queue.drain();
        await vacuum.stop();
        await prisma.$disconnect();
        await pglite.close();
        if (dir) await makePrivate(dir);
      },
    },
    prisma,
  );
  setDriver(db, pglite, counted(named.outside));
  return db;
}

/** A Prisma interactive transaction whose client is linked to its driver connection (driver.ts). */
function driverTransaction<T>(prisma: PrismaClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await linkDriver(tx);
    return fn(asTx(tx));
  }, TX_OPTIONS);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Prisma stores DateTime as UTC in `timestamp` columns; SQL `now()` must agree on every connection.
  // One pool for Prisma and the raw hot path.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c TimeZone=UTC -c ${CUSTOM_PLANS}`,
  });
  // An idle connection the server ends (restart, failover, a dropped database) must not crash the
  // process: the pool drops it, and the next query opens a new one or fails where it is handled.
  pool.on("error", ignoreIdleClientError);
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const adapterFactory = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter: exposeTransactions(adapterFactory, { named: pgNamed }) });
  let closed = false;
  const db = opened(
    {
      kind: "postgres",
      adapterFactory,
      url,
      sql: {
        async executeSql(text, values = []) {
          return { rows: await prisma.$queryRawUnsafe(text, ...values) };
        },
      },
      transaction: (fn) => driverTransaction(prisma, fn),
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        await pool.end();
      },
    },
    prisma,
  );
  setDriver(db, pool, pgNamed(pool));
  return db;
}

/**
 * pg-boss over PGlite: parameterised SQL goes to `query`; parameterless SQL (its migrations,
 * `BEGIN…COMMIT` blocks) goes to `exec`, returning the last result's rows. A failed `exec` is
 * rolled back so the single connection is not left in an aborted transaction.
 */
function pgliteExecutor(pglite: PGlite): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      if (values.length > 0) return { rows: (await pglite.query(text, values)).rows };
      try {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      } catch (error) {
        await pglite.exec("ROLLBACK").catch(() => {});
        throw error;
      }
    },
  };
}

/** A pg-boss `db` adapter bound to an interactive transaction, to enqueue atomically with it. */
export function txExecutor(tx: Tx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      return { rows: await (tx as unknown as Prisma.TransactionClient).$queryRawUnsafe(text, ...values) };
    },
  };
}

/** See `openPostgres`: the pool has already removed the connection that failed while idle. */
export function ignoreIdleClientError(): void {}
