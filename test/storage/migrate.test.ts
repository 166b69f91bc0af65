import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffToSchema, isEmptyMigration, SCHEMA_PATH } from "../../src/storage/migrate.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

describe("migrations", () => {
  let db: TestDatabase;
  let schema: string;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    schema = await readFile(SCHEMA_PATH, "utf8");
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("match prisma/schema.prisma exactly (no drift; run `npm run db:migration -- <name>` if this fails)", async () => {
    const sql = await diffToSchema(db.adapterFactory, schema);
    expect(isEmptyMigration(sql), `schema.prisma differs from the migrations:\n${sql}`).toBe(true);
  });

  it("notice a field added to the schema without a migration", async () => {
    const drifted = schema.replace("model Conversation {", "model Conversation {\n  driftCheck String?");
    const sql = await diffToSchema(db.adapterFactory, drifted);
    expect(isEmptyMigration(sql)).toBe(false);
    expect(sql).toContain('"driftCheck"');
  });
});
