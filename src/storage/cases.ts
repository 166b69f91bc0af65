import type { Database, Tx } from "./database.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/** Where a case stands, as officers set it. */
export type CaseStatus = "received" | "in_progress" | "referred" | "closed";
export type CaseUrgency = "critical" | "high" | "normal";

/** A stored report (table `report`): plain columns, the report itself sealed. */
export interface CaseRow {
  id: string;
  code: string;
  pinHash: string;
  urgency: CaseUrgency;
  reasons: string[];
  situation: string;
  country: string | null;
  status: CaseStatus;
  outcome: string | null;
  contentSealed: Uint8Array;
  consentContact: boolean;
  /** The reporter's conversation, only while they consent to be contacted. */
  conversationKey: string | null;
  assignedOfficerId: string | null;
  failedPinCount: number;
  failedPinSince: Date | null;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** A report to store, as triaged and sealed by the caller. */
export interface NewCase {
  /** The row id, chosen by the caller because the content is sealed to it (`sealedAt.reportContent`). */
  id: string;
  code: string;
  pinHash: string;
  urgency: CaseUrgency;
  reasons: string[];
  situation: string;
  country: string | null;
  contentSealed: Uint8Array<ArrayBuffer>;
  consentContact: boolean;
  conversationKey: string | null;
  createdAt: Date;
}

/** Stores a new case; returns its id. */
export async function insertCase(tx: Tx, data: NewCase): Promise<string> {
  const created = await prismaTx(tx).report.create({ data, select: { id: true } });
  return created.id;
}

/** Whether a case already has this code. */
export async function caseCodeTaken(tx: Tx, code: string): Promise<boolean> {
  return (await prismaTx(tx).report.count({ where: { code } })) > 0;
}

export async function findCaseById(tx: Tx, id: string): Promise<CaseRow | undefined> {
  return (await prismaTx(tx).report.findUnique({ where: { id } })) ?? undefined;
}

export async function findCaseByCode(tx: Tx, code: string): Promise<CaseRow | undefined> {
  return (await prismaTx(tx).report.findUnique({ where: { code } })) ?? undefined;
}

/** Locks a case's row until the transaction ends; false when there is no such case. */
export async function lockCase(tx: Tx, id: string): Promise<boolean> {
  const rows = await prismaTx(tx).$queryRaw<
    { id: string }[]
  >`SELECT id FROM report WHERE id = ${id} FOR UPDATE`;
  return rows.length > 0;
}

/** The case with this code, locked until the transaction ends; undefined when there is none. */
export async function lockCaseByCode(tx: Tx, code: string): Promise<CaseRow | undefined> {
  const client = prismaTx(tx);
  const [row] = await client.$queryRaw<
    { id: string }[]
  >`SELECT id FROM report WHERE code = ${code} FOR UPDATE`;
  return row ? findCaseById(tx, row.id) : undefined;
}

/** Points a consenting reporter's case at the conversation they now write from. */
export async function setCaseConversation(tx: Tx, id: string, conversationKey: string): Promise<void> {
  await prismaTx(tx).report.update({ where: { id }, data: { conversationKey } });
}

/** Saves the wrong-PIN count of a case and, when it reached the limit, the lock. */
export async function savePinFailures(
  tx: Tx,
  id: string,
  failures: { count: number; since: Date | null; lockedUntil?: Date },
): Promise<void> {
  await prismaTx(tx).report.update({
    where: { id },
    data: {
      failedPinCount: failures.count,
      failedPinSince: failures.since,
      ...(failures.lockedUntil ? { lockedUntil: failures.lockedUntil } : {}),
    },
  });
}

/** Forgets wrong PINs after a right one; `pinHash` replaces a hash made at an older cost. */
export async function clearPinFailures(tx: Tx, id: string, pinHash?: string): Promise<void> {
  await prismaTx(tx).report.update({
    where: { id },
    data: { failedPinCount: 0, failedPinSince: null, ...(pinHash ? { pinHash } : {}) },
  });
}

export async function assignCase(tx: Tx, id: string, officerId: string): Promise<void> {
  await prismaTx(tx).report.update({ where: { id }, data: { assignedOfficerId: officerId } });
}

/** Sets a case's status; `outcome` and `closedAt` belong to a closed case and are cleared otherwise. */
export async function setCaseStatus(
  tx: Tx,
  id: string,
  change: { status: CaseStatus; outcome: string | null; closedAt: Date | null },
): Promise<void> {
  await prismaTx(tx).report.update({ where: { id }, data: change });
}

/**
 * What one officer may see: every case of `urgencies`, plus the cases assigned to `officerId` or
 * escalated to them (named in an escalation step).
 */
export interface CaseAccess {
  officerId: string;
  urgencies: readonly CaseUrgency[];
}

/** The cases not closed, newest first; with `access`, only those every entry of it allows. */
export async function listOpenCases(
  tx: Tx,
  limit: number,
  access?: readonly CaseAccess[],
): Promise<CaseRow[]> {
  return prismaTx(tx).report.findMany({
    where: {
      status: { not: "closed" },
      ...(access
        ? {
            AND: access.map((a) => ({
              OR: [
                { urgency: { in: [...a.urgencies] } },
                { assignedOfficerId: a.officerId },
                { escalations: { some: { officerIds: { has: a.officerId } } } },
              ],
            })),
          }
        : {}),
    },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
}

/** The normal-urgency cases received in (`after`, `until`], oldest first: a digest's content. */
export async function listNormalCasesReceived(
  tx: Tx,
  after: Date,
  until: Date,
  limit: number,
): Promise<CaseRow[]> {
  return prismaTx(tx).report.findMany({
    where: { urgency: "normal", createdAt: { gt: after, lte: until } },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
}

/** The coarse, plain columns statistics count (no sealed content). */
export type CaseStatsRow = Pick<
  CaseRow,
  "createdAt" | "situation" | "urgency" | "country" | "outcome" | "status"
>;

/** The statistics columns of the cases received in [`from`, `to`). */
export async function listCaseStatsRows(db: Database, from: Date, to: Date): Promise<CaseStatsRow[]> {
  return prismaOf(db).report.findMany({
    where: { createdAt: { gte: from, lt: to } },
    select: { createdAt: true, situation: true, urgency: true, country: true, outcome: true, status: true },
  });
}
