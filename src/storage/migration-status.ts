import type { Database } from "./database.ts";
import { prismaOf } from "./prisma-access.ts";

/** How many migrations the database has applied (and failed), from Prisma's own table. */
export async function migrationStatus(db: Database): Promise<{ applied: number; failed: number }> {
  const rows = await prismaOf(db).$queryRaw<{ applied: bigint | number; failed: bigint | number }[]>`
    SELECT count(*) FILTER (WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied,
           count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL) AS failed
    FROM _prisma_migrations`;
  return { applied: Number(rows[0]?.applied ?? 0), failed: Number(rows[0]?.failed ?? 0) };
}
