import type { Logger } from "pino";
import type { Report } from "../../flows/report.ts";
import { appendAudit } from "../../storage/audit.ts";
import { findCaseById, lockCase } from "../../storage/cases.ts";
import { type Sealer, sealedAt } from "../../storage/crypto.ts";
import type { Database, Tx } from "../../storage/database.ts";
import {
  acknowledgeEscalations,
  insertEscalationStep,
  listEscalations,
  setEscalationStatus,
} from "../../storage/escalations.ts";
import { countCaseEvidence } from "../../storage/evidence.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../../storage/outbox.ts";
import type { SenderLimits } from "../../storage/sender-limits.ts";
import type { StoredReport } from "../cases.ts";
import type { JobScheduler } from "../engine.ts";
import { policeSummary } from "./case-summary.ts";
import {
  ackTimeoutMs,
  type EscalationStep,
  nextStep,
  recipientsForStep,
  type Urgency,
} from "./escalation-plan.ts";
import type { OfficerDirectory } from "./officer-directory.ts";
import { officerReplies } from "./officer-replies.ts";

/** Durable job queue of escalation steps: fires when a step's acknowledgement is due. */
export const ESCALATION_QUEUE = "escalation-step";

/** Data of an {@link ESCALATION_QUEUE} job: the step whose acknowledgement is due. */
export type EscalationJob = { reportId: string } & EscalationStep;

export interface EscalationOptions {
  db: Database;
  directory: OfficerDirectory;
  sealer: Sealer;
  jobs: JobScheduler;
  log: Logger;
  /** Groups a burst of non-critical reports from one sender under one escalation. */
  limits?: SenderLimits | undefined;
  now?: () => Date;
}

/**
 * The escalation ladder on durable jobs. A critical or high report notifies the on-duty officers
 * of tier 0 at once (outbox, same transaction as the report) and schedules an
 * {@link ESCALATION_QUEUE} job for when the acknowledgement is due. The job notifies the next step
 * unless someone acknowledged. Each step is one `escalation` row; its unique
 * `(report, tier, round)` makes a job that runs twice notify once. Every step is audited.
 *
 * When the ladder is exhausted (every tier, every repeat, nobody acknowledged) the case is marked
 * `exhausted` and every officer of the policy gets one short final alert naming the code: an
 * unacknowledged urgent case must not go quiet. They can still acknowledge.
 */
export class Escalation {
  private readonly now: () => Date;

  constructor(private readonly opts: EscalationOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  private get contacts() {
    return this.opts.directory.contacts;
  }

  /** Runs in the reporter's transaction: notifies tier 0 of a critical or high report; true when someone was. */
  async onReportStored(tx: Tx, stored: StoredReport): Promise<boolean> {
    const urgency = stored.triage.urgency;
    if (urgency === "normal") return false;
    // A burst from one sender is escalated once; a report whose content signals danger always is.
    const limits = this.opts.limits;
    if (limits && urgency !== "critical" && (await limits.take("escalations", stored.senderKey)) !== "ok") {
      await appendAudit(tx, { actor: "system", action: "escalation.grouped", reportId: stored.id });
      return false;
    }
    return this.notifyStep(
      tx,
      {
        id: stored.id,
        code: stored.code,
        urgency,
        reasons: stored.triage.reasons,
        report: stored.report,
        receivedAt: stored.createdAt,
        evidenceCount: stored.evidenceCount,
      },
      { tier: 0, round: 0 },
      this.now(),
    );
  }

  /**
   * Handles a due step: stops when someone acknowledged, when the step was already handled (a
   * repeated job) or when the case is closed; otherwise notifies the next step or marks the
   * ladder exhausted. Returns true when messages were written to the outbox.
   */
  async runStep(job: EscalationJob): Promise<boolean> {
    const now = this.now();
    return this.opts.db.transaction(async (tx) => {
      if (!(await lockCase(tx, job.reportId))) return false;
      const rows = await listEscalations(tx, job.reportId);
      if (rows.some((r) => r.status === "acknowledged")) return false;
      const current = rows.find((r) => r.tier === job.tier && r.round === job.round);
      if (current?.status !== "notified") return false;
      const row = await findCaseById(tx, job.reportId);
      if (!row) throw new Error("locked case vanished");
      const urgency = row.urgency as Urgency;
      if (row.status === "closed" || urgency === "normal") {
        await setEscalationStatus(tx, current.id, "superseded");
        return false;
      }
      const next = nextStep(this.contacts.policy, urgency, job);
      if (!next) {
        await setEscalationStatus(tx, current.id, "exhausted");
        return this.exhausted(tx, row.id, row.code, urgency, rows.length);
      }
      await setEscalationStatus(tx, current.id, "superseded");
      await appendAudit(tx, {
        actor: "system",
        action: "escalation.unacknowledged",
        reportId: row.id,
        details: { tier: job.tier, round: job.round },
      });
      const report = this.opts.sealer.openJson<Report>(row.contentSealed, sealedAt.reportContent(row.id));
      const evidenceCount = await countCaseEvidence(tx, row.id);
      return this.notifyStep(
        tx,
        {
          id: row.id,
          code: row.code,
          urgency,
          reasons: row.reasons,
          report,
          receivedAt: row.createdAt,
          evidenceCount,
        },
        next,
        now,
      );
    });
  }

  /**
   * Marks the open steps of a case acknowledged by `officerId`, which stops the ladder. The caller
   * holds the report's row lock. Returns who acknowledged first when it was already acknowledged.
   */
  async acknowledge(
    tx: Tx,
    reportId: string,
    officerId: string,
    how: string,
  ): Promise<{ already?: string; stopped: boolean }> {
    const rows = await listEscalations(tx, reportId);
    const acked = rows.find((r) => r.status === "acknowledged");
    if (acked) return { already: acked.ackedBy ?? undefined, stopped: false };
    const open = rows.filter((r) => r.status === "notified" || r.status === "exhausted");
    if (open.length === 0) return { stopped: false };
    await acknowledgeEscalations(
      tx,
      open.map((r) => r.id),
      officerId,
      this.now(),
    );
    await appendAudit(tx, {
      actor: officerId,
      action: "escalation.acknowledged",
      reportId,
      details: { how, steps: open.map((r) => ({ tier: r.tier, round: r.round })) },
    });
    return { stopped: true };
  }

  private async notifyStep(tx: Tx, c: CaseFacts, step: EscalationStep, now: Date): Promise<boolean> {
    const timeout = ackTimeoutMs(this.contacts.policy, c.urgency);
    if (timeout === undefined) return false;
    const { officers, fallback } = recipientsForStep(this.contacts, c.urgency, step, now);
    const dueAt = new Date(now.getTime() + timeout);
    const created = await insertEscalationStep(tx, {
      reportId: c.id,
      tier: step.tier,
      round: step.round,
      officerIds: officers,
      notifiedAt: now,
      dueAt,
    });
    if (!created) return false;
    const message = policeSummary({
      code: c.code,
      urgency: c.urgency,
      reasons: c.reasons,
      report: c.report,
      receivedAt: c.receivedAt,
      evidenceCount: c.evidenceCount,
      tier: step.tier,
      round: step.round,
      timeZone: this.contacts.timezone,
    });
    const out: NewOutboxMessage[] = [];
    const missing: string[] = [];
    for (const officerId of officers) {
      const target = await this.opts.directory.target(tx, officerId);
      if (!target) {
        missing.push(officerId);
        continue;
      }
      const key = `notify:${c.id}:${step.tier}:${step.round}:${officerId}`;
      out.push(this.opts.directory.outbox(target, message, key, "officer.notify"));
    }
    await enqueueOutbox(tx, out);
    await appendAudit(tx, {
      actor: "system",
      action: "escalation.notified",
      reportId: c.id,
      details: {
        tier: step.tier,
        round: step.round,
        officers,
        offDutyFallback: fallback,
        dueAt: dueAt.toISOString(),
        ...(missing.length ? { unreachable: missing } : {}),
      },
    });
    await this.opts.jobs.scheduleInTx(
      tx,
      ESCALATION_QUEUE,
      { reportId: c.id, tier: step.tier, round: step.round } satisfies EscalationJob,
      dueAt,
    );
    this.opts.log.info(
      { report: c.id, tier: step.tier, round: step.round, officers: officers.length },
      "escalation step notified",
    );
    return out.length > 0;
  }

  private async exhausted(
    tx: Tx,
    reportId: string,
    code: string,
    urgency: "critical" | "high",
    steps: number,
  ) {
    const everyone = [...new Set(this.contacts.policy[urgency].tiers.flat())];
    const message = { type: "text" as const, text: officerReplies.exhausted(code, steps) };
    const out: NewOutboxMessage[] = [];
    for (const officerId of everyone) {
      const target = await this.opts.directory.target(tx, officerId);
      if (target)
        out.push(
          this.opts.directory.outbox(
            target,
            message,
            `exhausted:${reportId}:${officerId}`,
            "officer.exhausted",
          ),
        );
    }
    await enqueueOutbox(tx, out);
    await appendAudit(tx, {
      actor: "system",
      action: "escalation.exhausted",
      reportId,
      details: { steps, alerted: everyone },
    });
    this.opts.log.error({ report: reportId, steps }, "urgent case unacknowledged after the whole ladder");
    return out.length > 0;
  }
}

type CaseFacts = {
  id: string;
  code: string;
  urgency: Urgency;
  reasons: readonly string[];
  report: Report;
  receivedAt: Date;
  evidenceCount: number;
};
