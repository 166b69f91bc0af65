import type { Tx } from "./database.ts";
import { prismaTx } from "./prisma-access.ts";

/** An officer's question or note, a reporter's answer or information, or a status message. */
export type CaseMessageKind = "question" | "answer" | "info" | "note" | "status";

/** A message on a case (table `case_message`); the text is sealed. */
export interface CaseMessageRow {
  id: string;
  reportId: string;
  kind: CaseMessageKind;
  /** The officer who wrote a question or note. */
  officerId: string | null;
  /** The question an answer replies to. */
  replyTo: string | null;
  bodySealed: Uint8Array;
  /** When a question was shown to the reporter. */
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface NewCaseMessage {
  /** The row id, chosen by the caller because the body is sealed to it (`sealedAt.caseMessageBody`). */
  id: string;
  reportId: string;
  kind: CaseMessageKind;
  bodySealed: Uint8Array<ArrayBuffer>;
  officerId?: string;
  replyTo?: string;
}

/** Adds a message to a case; returns the stored row. */
export async function addCaseMessage(tx: Tx, message: NewCaseMessage): Promise<CaseMessageRow> {
  return prismaTx(tx).caseMessage.create({ data: message });
}

export async function findCaseMessage(tx: Tx, id: string): Promise<CaseMessageRow | undefined> {
  return (await prismaTx(tx).caseMessage.findUnique({ where: { id } })) ?? undefined;
}

/** The officers' question `id` on case `reportId`; undefined when it is not one. */
export async function findCaseQuestion(
  tx: Tx,
  reportId: string,
  id: string,
): Promise<CaseMessageRow | undefined> {
  const question = await prismaTx(tx).caseMessage.findFirst({ where: { id, reportId, kind: "question" } });
  return question ?? undefined;
}

/** A case's messages, oldest first; only those of `kinds` when given. */
export async function listCaseMessages(
  tx: Tx,
  reportId: string,
  kinds?: readonly CaseMessageKind[],
): Promise<CaseMessageRow[]> {
  return prismaTx(tx).caseMessage.findMany({
    where: { reportId, ...(kinds ? { kind: { in: [...kinds] } } : {}) },
    orderBy: { createdAt: "asc" },
  });
}

/** Marks questions as shown to the reporter. */
export async function markQuestionsDelivered(tx: Tx, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await prismaTx(tx).caseMessage.updateMany({ where: { id: { in: [...ids] } }, data: { deliveredAt: at } });
}
