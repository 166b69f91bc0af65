import { type PGlite, parse, protocol } from "@electric-sql/pglite";

/** What a named statement's run returns: the shape of node-postgres' and PGlite's query results. */
export interface NamedResult {
  rows: unknown[];
  affectedRows?: number;
}

/** Runs a named statement with its values (see `NamedStatement` in driver.ts). */
export type NamedRunner = (
  statement: { name: string; text: string },
  values: unknown[],
) => Promise<NamedResult>;

const { serialize } = protocol;

/** Parameter types of each statement prepared on a database, by name, and the text it was prepared from. */
const statements = new WeakMap<PGlite, Map<string, { text: string; types: number[] }>>();

function preparedOn(pglite: PGlite): Map<string, { text: string; types: number[] }> {
  let prepared = statements.get(pglite);
  if (!prepared) {
    prepared = new Map();
    statements.set(pglite, prepared);
  }
  return prepared;
}

/**
 * Named statements on PGlite, as node-postgres has them on PostgreSQL. PGlite's `query` parses,
 * analyses and plans its text again on every call, in six calls into the database; a named
 * statement is parsed once per database (which then keeps its plan), and each later run is one
 * call carrying bind, describe, execute and sync. About 0.4 ms → 0.15 ms for the engine's commit.
 *
 * `inTransaction` is the runner for statements inside a `pglite.transaction` (which already holds
 * the transaction lock), `outside` the one for statements on their own.
 */
export function pglitePrepared(pglite: PGlite): { inTransaction: NamedRunner; outside: NamedRunner } {
  const prepared = preparedOn(pglite);

  /** The statement's parameter types, from its first preparation (see `prepare`). */
  function typesOf(name: string, text: string): number[] | undefined {
    const known = prepared.get(name);
    if (known && known.text !== text) throw new Error(`statement name ${name} is used for two texts`);
    return known?.types;
  }

  async function prepare(name: string, text: string): Promise<number[]> {
    try {
      const described = await pglite.execProtocol(
        Buffer.concat([
          serialize.parse({ name, text }),
          serialize.describe({ type: "S", name }),
          serialize.sync(),
        ]),
        { syncToFs: false },
      );
      const types = parse.parseDescribeStatementResults(described.messages);
      prepared.set(name, { text, types });
      return types;
    } catch (error) {
      // A statement half prepared must not block the name: close it (closing none is no error).
      await pglite
        .execProtocol(Buffer.concat([serialize.close({ type: "S", name }), serialize.sync()]), {
          syncToFs: false,
        })
        .catch(() => {});
      throw error;
    }
  }

  async function run(
    statement: { name: string; text: string },
    values: unknown[],
    syncToFs: boolean,
  ): Promise<NamedResult> {
    const types = typesOf(statement.name, statement.text) ?? (await prepare(statement.name, statement.text));
    // Values are written as PGlite's own `query` writes them: by the parameter's type.
    const written = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = pglite.serializers[types[i] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await pglite.execProtocol(
      Buffer.concat([
        serialize.bind({ statement: statement.name, values: written }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs },
    );
    const [result] = parse.parseResults(messages, pglite.parsers);
    return { rows: result?.rows ?? [], affectedRows: result?.affectedRows ?? 0 };
  }

  return {
    inTransaction: (statement, values) => pglite.runExclusive(() => run(statement, values, false)),
    outside: (statement, values) =>
      pglite._runExclusiveTransaction(() => pglite.runExclusive(() => run(statement, values, true))),
  };
}
