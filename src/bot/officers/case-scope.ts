import { type CaseAccess, type CaseUrgency, lockCaseByCode } from "../../storage/cases.ts";
import type { Tx } from "../../storage/database.ts";
import { listEscalations } from "../../storage/escalations.ts";
import type { Contacts } from "./contacts.ts";
import { auditOfficerAction, type FoundCase, type OfficerRun } from "./officer-run.ts";

/**
 * Which agencies are responsible for cases of `urgency`: for critical and high, the agencies of
 * every officer in that policy's tiers; for normal, `policy.normal.agencies`, by default the
 * agencies of the critical policy's first tier (the unit that takes the most urgent alerts first).
 */
export function agenciesFor(contacts: Contacts, urgency: CaseUrgency): Set<string> {
  const ids =
    urgency === "normal"
      ? (contacts.policy.normal?.agencies ?? agenciesOf(contacts, contacts.policy.critical.tiers[0] ?? []))
      : agenciesOf(contacts, contacts.policy[urgency].tiers.flat());
  return new Set(ids);
}

/** The urgencies whose cases the officers of `agencyId` see by the policy alone. */
export function urgenciesSeenBy(contacts: Contacts, agencyId: string): CaseUrgency[] {
  return (["critical", "high", "normal"] as const).filter((u) => agenciesFor(contacts, u).has(agencyId));
}

/**
 * The access of each officer in `viewers` (see {@link OfficerRun.viewers}): the urgencies their
 * agency is responsible for, plus the cases assigned or escalated to them. An officer missing from
 * the contacts file sees nothing by urgency.
 */
export function accessOf(contacts: Contacts, viewers: readonly string[]): CaseAccess[] {
  return viewers.map((officerId) => {
    const agency = contacts.officers.find((o) => o.id === officerId)?.agency;
    return { officerId, urgencies: agency ? urgenciesSeenBy(contacts, agency) : [] };
  });
}

/** Whether every officer in `viewers` may see `report` (its urgency, its assignee or its escalations). */
export async function canSee(
  tx: Tx,
  contacts: Contacts,
  viewers: readonly string[],
  report: FoundCase,
): Promise<boolean> {
  let escalatedTo: Set<string> | undefined;
  for (const access of accessOf(contacts, viewers)) {
    if (access.urgencies.includes(report.urgency)) continue;
    if (report.assignedOfficerId === access.officerId) continue;
    escalatedTo ??= new Set((await listEscalations(tx, report.id)).flatMap((s) => s.officerIds));
    if (!escalatedTo.has(access.officerId)) return false;
  }
  return viewers.length > 0;
}

/**
 * The case with this code, locked, when the run's officers may see it. A case out of their scope
 * is answered like an unknown code by the caller (nobody learns that it exists), and the attempt
 * is audited as `case.denied` with the command that tried.
 */
export async function findVisibleCase(
  run: OfficerRun,
  contacts: Contacts,
  code: string,
  command: string,
): Promise<FoundCase | undefined> {
  const report = await lockCaseByCode(run.tx, code);
  if (!report) return undefined;
  if (await canSee(run.tx, contacts, run.viewers, report)) return report;
  await auditOfficerAction(run, "case.denied", report.id, { command });
  return undefined;
}

function agenciesOf(contacts: Contacts, officerIds: readonly string[]): string[] {
  return contacts.officers.filter((o) => officerIds.includes(o.id)).map((o) => o.agency);
}
