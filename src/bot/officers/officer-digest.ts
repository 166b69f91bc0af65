import { appendAudit, lastAuditedAt } from "../../storage/audit.ts";
import { listNormalCasesReceived } from "../../storage/cases.ts";
import type { Database } from "../../storage/database.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../../storage/outbox.ts";
import { agenciesFor } from "./case-scope.ts";
import type { CaseListItem } from "./case-texts.ts";
import { digestText } from "./case-texts.ts";
import type { OfficerDirectory } from "./officer-directory.ts";

/** Cron queue of the daily digest of normal cases. */
export const DIGEST_QUEUE = "officer-digest";

/**
 * Sends each agency responsible for normal cases (`agenciesFor(contacts, "normal")`) its digest of
 * the normal cases received since its last digest (default: the last 24 hours), to the agency's
 * digest officers. Other agencies get no digest: they may not see normal cases. Returns the number
 * of messages written. A digest sent less than an hour ago is not sent again (a repeated cron job).
 */
export async function sendDigests(db: Database, directory: OfficerDirectory, now: Date): Promise<number> {
  const contacts = directory.contacts;
  const zone = contacts.timezone;
  const responsible = agenciesFor(contacts, "normal");
  let written = 0;
  for (const agency of contacts.agencies) {
    if (!responsible.has(agency.id)) continue;
    const recipients =
      agency.digest ?? contacts.officers.filter((o) => o.agency === agency.id).map((o) => o.id);
    if (recipients.length === 0) continue;
    written += await db.transaction(async (tx) => {
      const last = await lastAuditedAt(tx, `digest:${agency.id}`, "digest.sent");
      if (last && now.getTime() - last.getTime() < 60 * 60 * 1000) return 0;
      const since = last ?? new Date(now.getTime() - 24 * 60 * 60 * 1000);
      const rows = await listNormalCasesReceived(tx, since, now, 200);
      const items: CaseListItem[] = rows.map((r) => ({
        code: r.code,
        urgency: "normal",
        situation: r.situation as CaseListItem["situation"],
        status: r.status,
        receivedAt: r.createdAt,
        ...(r.assignedOfficerId ? { assignee: directory.name(r.assignedOfficerId) } : {}),
      }));
      const message = { type: "text" as const, text: digestText(agency.name, items, zone) };
      const day = now.toISOString().slice(0, 13);
      const out: NewOutboxMessage[] = [];
      for (const officerId of recipients) {
        const target = await directory.target(tx, officerId);
        if (target) {
          out.push(
            directory.outbox(target, message, `digest:${agency.id}:${day}:${officerId}`, "officer.digest"),
          );
        }
      }
      await enqueueOutbox(tx, out);
      await appendAudit(tx, {
        actor: `digest:${agency.id}`,
        action: "digest.sent",
        details: { agency: agency.id, cases: rows.length, officers: recipients },
        at: now,
      });
      return out.length;
    });
  }
  return written;
}
