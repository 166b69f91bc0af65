import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type { NamedRunner } from "./pglite-prepared.ts";
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
    text: string | { name: string; text: string; values: unknown[] },
    values?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount?: number | null; affectedRows?: number }>;
}

/**
 * A hot statement with a name: it is prepared once per connection (node-postgres' named statements;
 * on PGlite, pglite-prepared.ts) and then only bound and run, so the database neither parses nor
 * plans it again for every message. The name must belong to this text alone.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

type Statement = string | NamedStatement;

/** How each connection that prepares named statements runs them (node-postgres, PGlite). */
const naming = new WeakMap<DriverConnection, NamedRunner>();

/** node-postgres prepares a statement given with a name once per connection. */
export function pgNamed(connection: DriverConnection): NamedRunner {
  return (statement, values) => connection.query({ name: statement.name, text: statement.text, values });
}

function run(connection: DriverConnection, statement: Statement, values: unknown[]) {
  if (typeof statement === "string") return connection.query(statement, values);
  const named = naming.get(connection);
  if (named) return named(statement, values);
  return connection.query(statement.text, values);
}

function textOf(statement: Statement): string {
  return typeof statement === "string" ? statement : statement.text;
}

/**
 * How a Prisma transaction client finds its driver connection: it asks, through Prisma, for this
 * statement with a fresh token; the transaction underneath answers it itself (the statement never
 * reaches the database) and leaves its connection under that token. An AsyncLocalStorage slot did
 * this before, but on node 20 one makes node track every promise of the process (a tenth of the
 * service's allocations under load).
 */
const LINK_SQL = "SELECT $1::text AS suara_driver_link";
const linking = new Map<string, DriverConnection>();
let lastToken = 0;
const byTx = new WeakMap<object, DriverConnection>();
const byDb = new WeakMap<object, DriverConnection>();

type QueryRaw = Transaction["queryRaw"];

/**
 * Wraps an adapter factory so each transaction it starts can tell a `db.transaction` call its driver
 * connection (see {@link LINK_SQL}). Both adapters keep that connection as `client` on their
 * transaction object (a pg `PoolClient`, a PGlite `Transaction`).
 */
export function exposeTransactions(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { named?: (client: DriverConnection) => NamedRunner } = {},
): SqlMigrationAwareDriverAdapterFactory {
  const wrapAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop !== "startTransaction") return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> => {
          const tx = await target.startTransaction(...args);
          const client = (tx as unknown as { client?: DriverConnection }).client;
          if (typeof client?.query !== "function") return tx;
          if (options.named) naming.set(client, options.named(client));
          const queryRaw: QueryRaw = tx.queryRaw.bind(tx);
          tx.queryRaw = async (query) => {
            if (query.sql !== LINK_SQL) return queryRaw(query);
            const token = String(query.args[0]);
            linking.set(token, client);
            return {
              columnNames: ["suara_driver_link"],
              columnTypes: [ColumnTypeEnum.Text],
              rows: [[token]],
            };
          };
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
 * Links a Prisma interactive transaction's client to the driver connection underneath, so the hot
 * statements run on the transaction's own connection. Without a link (another adapter) they go
 * through Prisma's raw queries, which is slower but the same.
 */
export async function linkDriver(tx: object): Promise<void> {
  const token = String(++lastToken);
  await raw(tx).$queryRawUnsafe(LINK_SQL, token);
  const connection = linking.get(token);
  linking.delete(token);
  if (connection) byTx.set(tx, connection);
}

/** Whether `tx` runs its hot statements on its own driver connection. */
export function onDriver(tx: object): boolean {
  return byTx.has(tx);
}

/** Registers the connection (pool or embedded database) to use for `db` outside transactions. */
export function setDriver(db: Db, connection: DriverConnection, named?: NamedRunner): void {
  byDb.set(db, connection);
  if (named) naming.set(connection, named);
}

/** Runs `text` on the transaction's own driver connection (Prisma's raw query when there is none). */
export async function txQuery<R>(tx: Tx, statement: Statement, values: unknown[] = []): Promise<R[]> {
  const connection = byTx.get(tx);
  if (connection) return (await run(connection, statement, values)).rows as R[];
  return await raw(tx).$queryRawUnsafe<R[]>(textOf(statement), ...values);
}

/** Like {@link txQuery}, returning the number of rows changed. */
export async function txExecute(tx: Tx, statement: Statement, values: unknown[] = []): Promise<number> {
  const connection = byTx.get(tx);
  if (connection) return changed(await run(connection, statement, values));
  return await raw(tx).$executeRawUnsafe(textOf(statement), ...values);
}

/** Runs one statement outside a transaction on the database's driver. */
export async function dbQuery<R>(db: Db, statement: Statement, values: unknown[] = []): Promise<R[]> {
  const connection = byDb.get(db);
  if (connection) return (await run(connection, statement, values)).rows as R[];
  return await boundPrismaClient(db).$queryRawUnsafe<R[]>(textOf(statement), ...values);
}

/** Like {@link dbQuery}, returning the number of rows changed. */
export async function dbExecute(db: Db, statement: Statement, values: unknown[] = []): Promise<number> {
  const connection = byDb.get(db);
  if (connection) return changed(await run(connection, statement, values));
  return await boundPrismaClient(db).$executeRawUnsafe(textOf(statement), ...values);
}

function changed(result: { rowCount?: number | null; affectedRows?: number }): number {
  return result.rowCount ?? result.affectedRows ?? 0;
}
