import type { Database, Tx } from "./database.ts";
import { txQuery } from "./driver.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/**
 * Safe-departure check-ins: one row per worker conversation (details sealed, safe phrase and family
 * code as keyed hashes) and the family members linked to it through the family code.
 */

export interface CheckinRow {
  id: string;
  conversationKey: string;
  channel: string;
  detailsSealed: Uint8Array;
  safePhraseHash: string | null;
  consentCase: boolean;
  status: string;
  lastOkAt: Date | null;
  lastCheckinAt: Date | null;
}

export interface NewCheckin {
  id: string;
  conversationKey: string;
  channel: string;
  detailsSealed: Uint8Array<ArrayBuffer>;
  safePhraseHash: string | null;
  familyCodeHash: string;
  consentCase: boolean;
  createdAt: Date;
}

/** Most people one worker can link (the "one or two trusted people"). */
export const MAX_FAMILY = 2;

/** Stores new check-ins, replacing the conversation's earlier ones (and their links). */
export async function insertCheckin(tx: Tx, row: NewCheckin): Promise<void> {
  const p = prismaTx(tx);
  await p.checkin.deleteMany({ where: { conversationKey: row.conversationKey } });
  await p.checkin.create({ data: row });
}

export async function familyCodeTaken(tx: Tx, familyCodeHash: string): Promise<boolean> {
  return (await prismaTx(tx).checkin.count({ where: { familyCodeHash } })) > 0;
}

export async function findCheckin(tx: Tx, conversationKey: string): Promise<CheckinRow | undefined> {
  return (await prismaTx(tx).checkin.findUnique({ where: { conversationKey } })) ?? undefined;
}

/** The safe phrase hash of the conversation's active check-ins, if one was set. */
export async function findSafePhraseHash(tx: Tx, conversationKey: string): Promise<string | undefined> {
  // Asked for every typed message, so on the transaction's driver connection, not through Prisma.
  const rows = await txQuery<{ safe_phrase_hash: string | null }>(
    tx,
    {
      name: "suara_safe_phrase",
      text: "SELECT safe_phrase_hash FROM checkin WHERE conversation_key = $1 AND status = 'active'",
    },
    [conversationKey],
  );
  return rows[0]?.safe_phrase_hash ?? undefined;
}

/** Records a sent check-in question; the last one ends the schedule (`done`). */
export async function recordCheckinSent(tx: Tx, key: string, at: Date, last: boolean): Promise<void> {
  await prismaTx(tx).checkin.updateMany({
    where: { conversationKey: key },
    data: { lastCheckinAt: at, ...(last ? { status: "done" } : {}) },
  });
}

export async function recordCheckinOk(tx: Tx, key: string, at: Date): Promise<void> {
  await prismaTx(tx).checkin.updateMany({ where: { conversationKey: key }, data: { lastOkAt: at } });
}

/** Counts a missed check-in, alerts sent to family and cases opened for officers. */
export async function countCheckin(
  tx: Tx,
  key: string,
  counts: { missed?: number; alerts?: number; cases?: number },
): Promise<void> {
  await prismaTx(tx).checkin.updateMany({
    where: { conversationKey: key },
    data: {
      missedCount: { increment: counts.missed ?? 0 },
      alertsSent: { increment: counts.alerts ?? 0 },
      casesOpened: { increment: counts.cases ?? 0 },
    },
  });
}

/** Deletes the conversation's check-ins and their family links. */
export async function deleteCheckin(tx: Tx, conversationKey: string): Promise<number> {
  return (await prismaTx(tx).checkin.deleteMany({ where: { conversationKey } })).count;
}

export interface FamilyLink {
  id: string;
  conversationKey: string;
  channel: string;
  createdAt: Date;
}

/** Links `conversationKey` as family to the check-ins with the code hash; false when unknown or full. */
export async function linkFamily(
  tx: Tx,
  familyCodeHash: string,
  link: { id: string; conversationKey: string; channel: string; createdAt: Date },
): Promise<boolean> {
  const p = prismaTx(tx);
  const checkin = await p.checkin.findUnique({
    where: { familyCodeHash },
    select: { id: true, conversationKey: true, family: { select: { conversationKey: true } } },
  });
  if (!checkin || checkin.conversationKey === link.conversationKey) return false;
  if (checkin.family.some((f) => f.conversationKey === link.conversationKey)) return true;
  if (checkin.family.length >= MAX_FAMILY) return false;
  await p.checkinFamily.create({ data: { ...link, checkinId: checkin.id } });
  return true;
}

/** The check-ins a family conversation is linked to. */
export async function checkinsOfFamily(tx: Tx, conversationKey: string): Promise<CheckinRow[]> {
  const links = await prismaTx(tx).checkinFamily.findMany({
    where: { conversationKey },
    include: { checkin: true },
    orderBy: { createdAt: "asc" },
  });
  return links.map((l) => l.checkin);
}

/** The family linked to the conversation's check-ins, oldest first. */
export async function listFamily(tx: Tx, conversationKey: string): Promise<FamilyLink[]> {
  return prismaTx(tx).checkinFamily.findMany({
    where: { checkin: { conversationKey } },
    select: { id: true, conversationKey: true, channel: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}

export async function removeFamily(tx: Tx, conversationKey: string, id: string): Promise<void> {
  await prismaTx(tx).checkinFamily.deleteMany({ where: { id, checkin: { conversationKey } } });
}

/** Unlinks a conversation from every check-in it follows as family (`/hapus`). */
export async function unlinkFamily(tx: Tx, conversationKey: string): Promise<void> {
  await prismaTx(tx).checkinFamily.deleteMany({ where: { conversationKey } });
}

/** Figures for `npm run admin -- stats`. */
export async function checkinStats(
  db: Database,
): Promise<{ active: number; missed: number; alertsSent: number; casesOpened: number }> {
  const p = prismaOf(db);
  const active = await p.checkin.count({ where: { status: "active" } });
  const sums = await p.checkin.aggregate({
    _sum: { missedCount: true, alertsSent: true, casesOpened: true },
  });
  return {
    active,
    missed: sums._sum.missedCount ?? 0,
    alertsSent: sums._sum.alertsSent ?? 0,
    casesOpened: sums._sum.casesOpened ?? 0,
  };
}

/** Records that alert `mark` (`<signal>:<index>`) went out; false when it already had. */
export async function markAlerted(tx: Tx, conversationKey: string, mark: string): Promise<boolean> {
  const updated = await prismaTx(tx).$executeRaw`
    UPDATE checkin SET alerted = array_append(alerted, ${mark})
    WHERE conversation_key = ${conversationKey} AND NOT (${mark} = ANY(alerted))`;
  return updated === 1;
}
