import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Files outside src/storage that still mention Prisma or query the database themselves (through
 * `Database.prisma`, a model on a transaction, or raw SQL). An allowlist to be emptied: remove a
 * file once it calls repositories in src/storage, and never add one. When it is empty, delete
 * `Database.prisma` and make `Tx` the opaque `Transaction` (src/storage/database.ts).
 */
const KNOWN_PRISMA_USERS = ["src/bot/engine.ts", "src/bot/evidence.ts"];

/** A mention of Prisma, a query on a transaction's model (`tx.report.findMany`) or raw SQL. */
const QUERY_OR_PRISMA = [
  /prisma/i,
  /\btx\.[a-zA-Z]+\.(find|create|update|delete|upsert|count|aggregate|groupBy)/,
  /\$(queryRaw|executeRaw)/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join("src", "storage") ? [] : sources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("the database boundary", () => {
  it("keeps Prisma and queries in src/storage, apart from the known files still to move", () => {
    const offenders = sources("src")
      .filter((path) => QUERY_OR_PRISMA.some((pattern) => pattern.test(readFileSync(path, "utf8"))))
      .map((path) => path.split("\\").join("/"))
      .sort();
    expect(offenders, "a file outside src/storage queries the database: add a repository instead").toEqual(
      KNOWN_PRISMA_USERS,
    );
  });
});
