import type { Tx } from "./database.ts";
import type { Prisma } from "./generated/client.ts";
import { prismaTx } from "./prisma-access.ts";

/** One entry of the audit log: who did what, on which case. Details are plain JSON, never personal data. */
export interface AuditEntry {
  /** An officer id, `system`, `reporter`, `admin`, a sender pseudonym or e.g. `digest:<agency>`. */
  actor: string;
  action: string;
  reportId?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the database's now. */
  at?: Date;
}

/** Appends an entry to the audit log (in the transaction of the action it records). */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await prismaTx(tx).auditEvent.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      ...(entry.reportId !== undefined ? { reportId: entry.reportId } : {}),
      ...(entry.details !== undefined ? { details: entry.details as Prisma.InputJsonObject } : {}),
      ...(entry.at ? { at: entry.at } : {}),
    },
  });
}

/** When `actor` last did `action` (e.g. the last digest of an agency); undefined when never. */
export async function lastAuditedAt(tx: Tx, actor: string, action: string): Promise<Date | undefined> {
  const last = await prismaTx(tx).auditEvent.findFirst({
    where: { action, actor },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return last?.at;
}
