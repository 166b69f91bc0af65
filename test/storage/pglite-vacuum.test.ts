import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startVacuum, VACUUMED_TABLES } from "../../src/storage/pglite-vacuum.ts";

/** PGlite has no autovacuum; the embedded database's handle vacuums its hot tables itself. */
describe("PGlite vacuum", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
    await pglite.exec(`CREATE TABLE outbox_message (id int PRIMARY KEY, status text);
      CREATE TABLE conversation (key text PRIMARY KEY);
      INSERT INTO outbox_message SELECT g, 'pending' FROM generate_series(1, 500) g;
      UPDATE outbox_message SET status = 'sent'`);
  });
  afterAll(async () => {
    await pglite.close();
  });

  async function vacuumCount(): Promise<number> {
    const { rows } = await pglite.query<{ n: number }>(
      "SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = 'outbox_message'",
    );
    return rows[0]?.n ?? 0;
  }

  async function until(predicate: () => Promise<boolean>): Promise<void> {
    const started = Date.now();
    while (!(await predicate())) {
      if (Date.now() - started > 5_000) throw new Error("not within 5 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("covers the outbox, the conversations, the receipts and pg-boss's jobs", () => {
    expect(VACUUMED_TABLES).toEqual(["outbox_message", "conversation", "inbound_receipt", "pgboss.job"]);
  });

  it("vacuums after enough writes, and not before", async () => {
    const errors: unknown[] = [];
    const vacuum = startVacuum(pglite, {
      everyWrites: 3,
      everyMs: 60_000,
      checkMs: 10,
      onError: (e) => errors.push(e),
    });
    try {
      const before = await vacuumCount();
      vacuum.wrote();
      vacuum.wrote();
      await new Promise((r) => setTimeout(r, 100));
      expect(await vacuumCount()).toBe(before);
      vacuum.wrote();
      await until(async () => (await vacuumCount()) === before + 1);
      // Tables that are not there yet (pg-boss's before its start) are no error.
      expect(errors).toEqual([]);
    } finally {
      await vacuum.stop();
    }
  });

  it("vacuums what an earlier run left behind once the interval has passed, then only after writes", async () => {
    const vacuum = startVacuum(pglite, { everyWrites: 1_000, everyMs: 50, checkMs: 10 });
    try {
      const before = await vacuumCount();
      await until(async () => (await vacuumCount()) === before + 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(await vacuumCount()).toBe(before + 1);
      vacuum.wrote();
      await until(async () => (await vacuumCount()) === before + 2);
    } finally {
      await vacuum.stop();
    }
  });

  it("stops: no vacuum after stop()", async () => {
    const vacuum = startVacuum(pglite, { everyWrites: 1, checkMs: 10 });
    await vacuum.stop();
    const before = await vacuumCount();
    vacuum.wrote();
    await new Promise((r) => setTimeout(r, 100));
    expect(await vacuumCount()).toBe(before);
  });
});
