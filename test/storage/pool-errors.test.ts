import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { SenderLimits } from "../../src/storage/sender-limits.ts";
import {
  databaseKinds,
  openTestDatabase,
  postgresMissingInCi,
  type TestDatabase,
} from "../helpers/databases.ts";

const LIMITS = {
  uploadBytesPerDay: 1e6,
  escalationsPerBurst: 1,
  burstMinutes: 10,
  reportsPerDay: 10,
};

describe("idle connections ended by the server", () => {
  it("are tested in CI, where TEST_DATABASE_URL points at PostgreSQL", () => {
    expect(postgresMissingInCi(), "CI=true but TEST_DATABASE_URL is not set").toBe(false);
  });
});

/** Connections the server ends while idle (a restart, a failover) must not crash the process. */
describe.each(databaseKinds().filter((k) => k === "postgres"))("idle connections ended by %s", (kind) => {
  let db: TestDatabase | undefined;
  let limits: SenderLimits | undefined;
  afterEach(async () => {
    await limits?.close();
    await db?.destroy();
  });

  it("survive: no unhandled error, and the next query opens a new connection", async () => {
    db = await openTestDatabase(kind);
    limits = await SenderLimits.open(db, LIMITS);
    expect(await limits.take("reports", "pseudonym-a")).toBe("ok");
    await db.transaction(async () => {});
    const unhandled: unknown[] = [];
    const onError = (e: unknown) => unhandled.push(e);
    process.on("uncaughtException", onError);
    try {
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(await limits.take("reports", "pseudonym-a")).toBe("ok");
      await db.transaction(async () => {});
    } finally {
      process.off("uncaughtException", onError);
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
