import type { Tx } from "./database.ts";
import { prismaTx } from "./prisma-access.ts";

export type EscalationStatus = "notified" | "acknowledged" | "superseded" | "exhausted";

/** One step of a case's escalation ladder (table `escalation`, unique per report, tier and round). */
export interface EscalationRow {
  id: string;
  reportId: string;
  tier: number;
  round: number;
  officerIds: string[];
  status: EscalationStatus;
  notifiedAt: Date;
  dueAt: Date | null;
  ackedAt: Date | null;
  ackedBy: string | null;
}

/** A case's escalation steps. */
export async function listEscalations(tx: Tx, reportId: string): Promise<EscalationRow[]> {
  return prismaTx(tx).escalation.findMany({ where: { reportId } });
}

/**
 * Records a notified step; false when the case already has this tier and round (a repeated job),
 * in which case nothing changes.
 */
export async function insertEscalationStep(
  tx: Tx,
  step: {
    reportId: string;
    tier: number;
    round: number;
    officerIds: string[];
    notifiedAt: Date;
    dueAt: Date;
  },
): Promise<boolean> {
  const created = await prismaTx(tx).escalation.createMany({ data: [step], skipDuplicates: true });
  return created.count > 0;
}

export async function setEscalationStatus(tx: Tx, id: string, status: EscalationStatus): Promise<void> {
  await prismaTx(tx).escalation.update({ where: { id }, data: { status } });
}

/** Marks steps acknowledged by `officerId` at `at`. */
export async function acknowledgeEscalations(
  tx: Tx,
  ids: readonly string[],
  officerId: string,
  at: Date,
): Promise<void> {
  await prismaTx(tx).escalation.updateMany({
    where: { id: { in: [...ids] } },
    data: { status: "acknowledged", ackedAt: at, ackedBy: officerId },
  });
}
