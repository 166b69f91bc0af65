import type { PrismaClient } from "./generated/client.ts";

/** The Prisma client behind each open database, out of sight of everyone but src/storage. */
const clients = new WeakMap<object, PrismaClient>();

/** Binds an open database handle to its Prisma client (called by `openDatabase`). */
export function bindPrismaClient<T extends object>(handle: T, prisma: PrismaClient): T {
  clients.set(handle, prisma);
  return handle;
}

/** The Prisma client bound to `handle`; throws for an object `openDatabase` did not return. */
export function boundPrismaClient(handle: object): PrismaClient {
  const prisma = clients.get(handle);
  if (!prisma) throw new Error("not a database opened by openDatabase");
  return prisma;
}
