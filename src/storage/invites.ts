import type { Tx } from "./database.ts";
import { prismaTx } from "./prisma-access.ts";

/** A one-time officer invite (table `officer_invite`); only the code's hash is stored. */
export interface InviteRow {
  codeHash: string;
  officerId: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export async function insertInvite(
  tx: Tx,
  invite: { codeHash: string; officerId: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await prismaTx(tx).officerInvite.create({ data: invite });
}

export async function findInvite(tx: Tx, codeHash: string): Promise<InviteRow | undefined> {
  return (await prismaTx(tx).officerInvite.findUnique({ where: { codeHash } })) ?? undefined;
}

export async function markInviteUsed(tx: Tx, codeHash: string, at: Date): Promise<void> {
  await prismaTx(tx).officerInvite.update({ where: { codeHash }, data: { usedAt: at } });
}
