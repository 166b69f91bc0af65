import type { Database, Tx } from "./database.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";
import { boundPrismaClient } from "./prisma-handles.ts";

/**
 * How src/storage's repositories reach Prisma: the client of a {@link Database} and the
 * transaction client behind a {@link Tx}. Only src/storage may import this module
 * (`prisma-access-only-in-storage` in .dependency-cruiser.mjs); everyone else calls repositories.
 */

/** Prisma's interactive transaction client. */
export type PrismaTx = Prisma.TransactionClient;

/** The Prisma client of an open database, for a statement outside an interactive transaction. */
export function prismaOf(db: Database): PrismaClient {
  return boundPrismaClient(db);
}

/** The Prisma transaction client a {@link Tx} stands for. */
export function prismaTx(tx: Tx): PrismaTx {
  return tx as unknown as PrismaTx;
}
