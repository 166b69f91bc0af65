import { AsyncLocalStorage } from "node:async_hooks";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { boundPrismaClient } from "./prisma-handles.ts";

/** What Prisma offers for raw SQL, on a client or a transaction (the fallback without a driver). */
interface RawQueryable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}
/** A Prisma transaction client (as `Tx` hides it) and an open database handle. */
type Tx = object;
type Db = object;

const raw = (tx: Tx): RawQueryable => tx as RawQueryable;

/**
 * The raw driver under Prisma, for the hot statements: the same SQL on node-postgres (a pooled
 * client) and PGlite, without Prisma's per-query work. Inside an interactive transaction it is the
 * very connection Prisma's transaction runs on, so raw and Prisma statements commit together.
 */
export interface DriverConnection {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount?: number | null; affectedRows?: number }>;
}

/** Where a starting transaction leaves its driver connection (one slot per `db.transaction` call). */
const starting = new AsyncLocalStorage<{ connection?: DriverConnection }>();
const byTx = new WeakMap<object, DriverConnection>();
const byDb = new WeakMap<object, DriverConnection>();

/**
 * Wraps an adapter factory so each transaction it starts hands its driver connection to the
 * `db.transaction` call that asked for it. Both adapters keep that connection as `client` on their
 * transaction object (a pg `PoolClient`, a PGlite `Transaction`).
 */
export function exposeTransactions(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  const wrapAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop !== "startTransaction") return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> => {
          const tx = await target.startTransaction(...args);
          const slot = starting.getStore();
          const client = (tx as unknown as { client?: DriverConnection }).client;
          if (slot && !slot.connection && typeof client?.query === "function") slot.connection = client;
          return tx;
        };
      },
    });
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop !== "connect") return Reflect.get(target, prop, receiver);
      return async () => wrapAdapter(await target.connect());
    },
  });
}

/**
 * Runs `start` (which opens a Prisma interactive transaction and calls back with its client) so that
 * the callback's `tx` is linked to the driver connection underneath.
 */
export function withDriverTransaction<T>(start: (link: (tx: object) => void) => Promise<T>): Promise<T> {
  const slot: { connection?: DriverConnection } = {};
  return starting.run(slot, () =>
    start((tx) => {
      if (slot.connection) byTx.set(tx, slot.connection);
    }),
  );
}

/** Whether `tx` runs its hot statements on its own driver connection. */
export function onDriver(tx: object): boolean {
  return byTx.has(tx);
}

/** Registers the connection (pool or embedded database) to use for `db` outside transactions. */
export function setDriver(db: Db, connection: DriverConnection): void {
  byDb.set(db, connection);
}

/** Runs `text` on the transaction's own driver connection (Prisma's raw query when there is none). */
export async function txQuery<R>(tx: Tx, text: string, values: unknown[] = []): Promise<R[]> {
  const connection = byTx.get(tx);
  if (connection) return (await connection.query(text, values)).rows as R[];
  return await raw(tx).$queryRawUnsafe<R[]>(text, ...values);
}

/** Like {@link txQuery}, returning the number of rows changed. */
export async function txExecute(tx: Tx, text: string, values: unknown[] = []): Promise<number> {
  const connection = byTx.get(tx);
  if (connection) return changed(await connection.query(text, values));
  return await raw(tx).$executeRawUnsafe(text, ...values);
}

/** Runs one statement outside a transaction on the database's driver. */
export async function dbQuery<R>(db: Db, text: string, values: unknown[] = []): Promise<R[]> {
  const connection = byDb.get(db);
  if (connection) return (await connection.query(text, values)).rows as R[];
  return await boundPrismaClient(db).$queryRawUnsafe<R[]>(text, ...values);
}

/** Like {@link dbQuery}, returning the number of rows changed. */
export async function dbExecute(db: Db, text: string, values: unknown[] = []): Promise<number> {
  const connection = byDb.get(db);
  if (connection) return changed(await connection.query(text, values));
  return await boundPrismaClient(db).$executeRawUnsafe(text, ...values);
}

function changed(result: { rowCount?: number | null; affectedRows?: number }): number {
  return result.rowCount ?? result.affectedRows ?? 0;
}
