import type { Database, Tx } from "./database.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/** A stored evidence file's id, type and sealed bytes. */
export interface EvidenceFile {
  id: string;
  mime: string;
  dataSealed: Uint8Array;
}

/**
 * Attaches the reporter's draft evidence (uploaded in `conversationKey`, on no case yet) among
 * `ids` to case `reportId`; returns how many were attached.
 */
export async function attachDraftEvidence(
  tx: Tx,
  ids: readonly string[],
  conversationKey: string,
  reportId: string,
): Promise<number> {
  const attached = await prismaTx(tx).evidence.updateMany({
    where: { id: { in: [...ids] }, conversationKey, reportId: null },
    data: { reportId },
  });
  return attached.count;
}

export async function countCaseEvidence(tx: Tx, reportId: string): Promise<number> {
  return prismaTx(tx).evidence.count({ where: { reportId } });
}

/** The ids of a case's first `limit` evidence files, oldest first. */
export async function listCaseEvidenceIds(tx: Tx, reportId: string, limit: number): Promise<string[]> {
  const rows = await prismaTx(tx).evidence.findMany({
    where: { reportId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** All of a case's evidence files, oldest first (for the administrator's export). */
export async function listCaseEvidenceFiles(db: Database, reportId: string): Promise<EvidenceFile[]> {
  return prismaOf(db).evidence.findMany({
    where: { reportId },
    orderBy: { createdAt: "asc" },
    select: { id: true, mime: true, dataSealed: true },
  });
}

/**
 * An uploaded file, checked and sealed by the caller, waiting to be attached to a case. The caller
 * chooses the id, as the bytes are sealed bound to it.
 */
export interface NewDraftEvidence {
  id: string;
  conversationKey: string;
  kind: string;
  mime: string;
  size: number;
  dataSealed: Uint8Array<ArrayBuffer>;
}

/** Stores a draft evidence file of a conversation; returns its id. */
export async function insertDraftEvidence(tx: Tx, file: NewDraftEvidence): Promise<string> {
  const row = await prismaTx(tx).evidence.create({ data: file, select: { id: true } });
  return row.id;
}

/** A stored evidence file by id; undefined when it is gone (purged or deleted). */
export async function findEvidenceFile(
  db: Database,
  id: string,
): Promise<(EvidenceFile & { kind: string }) | undefined> {
  const row = await prismaOf(db).evidence.findUnique({
    where: { id },
    select: { id: true, kind: true, mime: true, dataSealed: true },
  });
  return row ?? undefined;
}

/** Stores an evidence file (checked, cleaned and sealed by the caller) in its own transaction; returns its id. */
export async function insertEvidence(db: Database, evidence: NewDraftEvidence): Promise<string> {
  return db.transaction((tx) => insertDraftEvidence(tx, evidence));
}

/** The sealed bytes and type of one evidence file, or `undefined` when it is gone. */
export async function findEvidence(
  db: Database,
  id: string,
): Promise<(EvidenceFile & { kind: string }) | undefined> {
  return findEvidenceFile(db, id);
}
