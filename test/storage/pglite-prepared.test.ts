import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pglitePrepared } from "../../src/storage/pglite-prepared.ts";

/** Named statements on PGlite (the hot statements' path there): same results as `query`, and robust. */
describe("PGlite named statements", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  beforeEach(async () => {
    await pglite.exec(`DROP TABLE IF EXISTS item; DROP TABLE IF EXISTS later_table;
      CREATE TABLE item (key text PRIMARY KEY, n int NOT NULL, data bytea, doc jsonb, at timestamp)`);
  });
  afterAll(async () => {
    await pglite.close();
  });

  const upsert = {
    name: "test_upsert",
    text: `INSERT INTO item (key, n, data, doc, at) VALUES ($1, $2, $3, $4::jsonb, $5::timestamp)
      ON CONFLICT (key) DO UPDATE SET n = item.n + EXCLUDED.n
      RETURNING key, n, data, doc, (at AT TIME ZONE 'UTC') AS at`,
  };

  it("return what `query` returns, with the values written and read by their types, run after run", async () => {
    const { outside } = pglitePrepared(pglite);
    const at = "2026-01-02T03:04:05.000Z";
    const values = ["a", 2, new Uint8Array([1, 2, 255]), JSON.stringify({ x: [1] }), at];
    const stored = { key: "a", n: 2, data: new Uint8Array([1, 2, 255]), doc: { x: [1] }, at: new Date(at) };
    const first = await outside(upsert, values);
    expect(first.rows).toEqual([stored]);
    const second = await outside(upsert, ["a", 3, null, null, null]);
    expect(second.rows).toEqual([{ ...stored, n: 5 }]);
    const viaQuery = await pglite.query(upsert.text, ["a", 1, null, null, null]);
    expect(viaQuery.rows).toEqual([{ ...stored, n: 6 }]);
    const update = await outside({ name: "test_bump", text: "UPDATE item SET n = n + 1 WHERE key = $1" }, [
      "a",
    ]);
    expect(update).toEqual({ rows: [], affectedRows: 1 });
  });

  it("run inside a transaction and roll back with it", async () => {
    const { inTransaction } = pglitePrepared(pglite);
    await expect(
      pglite.transaction(async () => {
        await inTransaction(upsert, ["b", 1, null, null, null]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await pglite.query("SELECT count(*)::int AS n FROM item")).rows).toEqual([{ n: 0 }]);
    await pglite.transaction(async () => {
      await inTransaction(upsert, ["b", 1, null, null, null]);
    });
    expect((await pglite.query("SELECT n FROM item WHERE key = 'b'")).rows).toEqual([{ n: 1 }]);
  });

  it("leave the database usable after a failed statement, and prepare a failed text again later", async () => {
    const { outside } = pglitePrepared(pglite);
    const later = { name: "test_later", text: "SELECT v FROM later_table WHERE v = $1" };
    await expect(outside(later, [1])).rejects.toThrow(/later_table/);
    await expect(outside({ name: "test_fail", text: "SELECT 1 / $1::int AS q" }, [0])).rejects.toThrow(
      /division by zero/,
    );
    expect((await outside({ name: "test_fail", text: "SELECT 1 / $1::int AS q" }, [1])).rows).toEqual([
      { q: 1 },
    ]);
    await pglite.exec("CREATE TABLE later_table (v int); INSERT INTO later_table VALUES (1)");
    expect((await outside(later, [1])).rows).toEqual([{ v: 1 }]);
  });

  it("are prepared once per database, however many runners it has", async () => {
    const bump = { name: "test_bump_twice", text: "UPDATE item SET n = n + 1 WHERE key = $1" };
    await pglitePrepared(pglite).outside(bump, ["none"]);
    expect(await pglitePrepared(pglite).outside(bump, ["none"])).toEqual({ rows: [], affectedRows: 0 });
  });

  it("refuse one name for two texts", async () => {
    const { outside } = pglitePrepared(pglite);
    await outside({ name: "test_same", text: "SELECT 1 AS one" }, []);
    await expect(outside({ name: "test_same", text: "SELECT 2 AS two" }, [])).rejects.toThrow(
      "statement name test_same is used for two texts",
    );
  });
});
