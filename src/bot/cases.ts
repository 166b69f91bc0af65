import { randomBytes, randomInt } from "node:crypto";
import type { Logger } from "pino";
import type { FlowEvent, FlowOutput, StatusResult } from "../flows/message.ts";
import { type Report, reportSchema } from "../flows/report.ts";
import { type TriageResult, triage } from "../flows/triage.ts";
import { hashPin, type Sealer } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";
import { grantCaseAccess, openCaseAccess } from "./case-access.ts";
import { checkPin } from "./case-pin.ts";
import type { CaseEffects, EffectContext } from "./engine.ts";
import { generateReportCode, normalizeReportCode } from "./officers/report-code.ts";

/** A stored report as the escalation side sees it (never the reporter's identity). */
export interface StoredReport {
  id: string;
  code: string;
  report: Report;
  triage: TriageResult;
  createdAt: Date;
  evidenceCount: number;
}

/** Hooks the officers module implements; they run in the reporter's transaction. */
export interface CaseHooks {
  /** Returns true when officers were alerted at once (a critical or high case with someone to alert). */
  onReportStored?(tx: Tx, stored: StoredReport): Promise<boolean | undefined>;
  onCaseAppended?(tx: Tx, event: CaseAppended): Promise<void>;
}

/** A reporter's answer, information or evidence just added to a case (in the same transaction). */
export interface CaseAppended {
  reportId: string;
  code: string;
  kind: "answer" | "info";
  /** The `case_message` row stored for the text; absent when only evidence was added. */
  messageId?: string;
  evidenceCount: number;
}

export interface CaseServiceOptions {
  sealer: Sealer;
  log: Logger;
  hooks?: CaseHooks;
  /** Wrong PINs per code within an hour before the code is locked for an hour (see `checkPin`); default 5. */
  maxPinFailures?: number;
}

/**
 * Storage side of reports: stores submitted reports with a code and a PIN shown once, checks
 * code + PIN with a lock after repeated failures, and adds answers and information to a case.
 */
export class CaseService implements CaseEffects {
  constructor(private readonly opts: CaseServiceOptions) {}

  async submitReport(tx: Tx, ctx: EffectContext, raw: unknown): Promise<FlowEvent> {
    const parsed = reportSchema.safeParse(raw);
    if (!parsed.success) {
      this.opts.log.error(
        { conversation: ctx.conversationKey, issues: parsed.error.issues.length },
        "invalid report from flow",
      );
      return { type: "report.failed" };
    }
    const report = parsed.data;
    const result = triage(report);
    const code = await this.uniqueCode(tx);
    const pin = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const created = await tx.report.create({
      data: {
        code,
        pinHash: await hashPin(pin),
        urgency: result.urgency,
        reasons: result.reasons,
        situation: report.situation,
        country: normalizeCountry(report.country ?? report.migration?.destination),
        contentSealed: this.opts.sealer.sealJson(report),
        consentContact: report.consentContact,
        conversationKey: report.consentContact ? ctx.conversationKey : null,
        createdAt: ctx.now,
      },
    });
    const evidence = await tx.evidence.updateMany({
      where: { id: { in: report.evidenceRefs }, conversationKey: ctx.conversationKey, reportId: null },
      data: { reportId: created.id },
    });
    if (report.consentContact) {
      await tx.conversation.update({ where: { key: ctx.conversationKey }, data: { contactConsent: true } });
    }
    await tx.auditEvent.create({
      data: {
        actor: "system",
        action: "report.submitted",
        reportId: created.id,
        details: { urgency: result.urgency, reasons: result.reasons, evidence: evidence.count },
      },
    });
    const passedOn = await this.opts.hooks?.onReportStored?.(tx, {
      id: created.id,
      code,
      report,
      triage: result,
      createdAt: ctx.now,
      evidenceCount: evidence.count,
    });
    this.opts.log.info(
      { conversation: ctx.conversationKey, report: created.id, urgency: result.urgency },
      "report stored",
    );
    return { type: "report.stored", code, pin, passedOn: passedOn === true };
  }

  async lookupStatus(tx: Tx, ctx: EffectContext, codeInput: string, pin: string): Promise<FlowEvent> {
    const fail: FlowEvent = { type: "status.result", result: { ok: false } };
    const code = normalizeReportCode(codeInput);
    const row = code
      ? (await tx.$queryRaw<{ id: string }[]>`SELECT id FROM report WHERE code = ${code} FOR UPDATE`)[0]
      : undefined;
    const report = row ? await tx.report.findUnique({ where: { id: row.id } }) : null;
    const opened = await checkPin(tx, report, pin, ctx.now, this.opts.maxPinFailures ?? 5);
    if (!opened || !report || !code) return fail;
    grantCaseAccess(this.opts.sealer, ctx.state, code, ctx.now);
    // A reporter who checks in is reachable again: later officer questions can be pushed here.
    if (report.consentContact && report.conversationKey !== ctx.conversationKey) {
      await tx.report.update({ where: { id: report.id }, data: { conversationKey: ctx.conversationKey } });
    }
    return { type: "status.result", result: await this.statusOf(tx, report.id, code) };
  }

  private async statusOf(tx: Tx, reportId: string, code: string): Promise<StatusResult> {
    const report = await tx.report.findUniqueOrThrow({ where: { id: reportId } });
    const messages = await tx.caseMessage.findMany({
      where: { reportId, kind: { in: ["question", "answer"] } },
      orderBy: { createdAt: "asc" },
    });
    const answered = new Set(messages.filter((m) => m.kind === "answer" && m.replyTo).map((m) => m.replyTo));
    const questions = messages
      .filter((m) => m.kind === "question")
      .map((m) => ({
        id: m.id,
        text: this.opts.sealer.open(m.bodySealed).toString("utf8"),
        answered: answered.has(m.id),
      }));
    const delivered = messages.filter((m) => m.kind === "question" && !m.deliveredAt).map((m) => m.id);
    if (delivered.length > 0) {
      await tx.caseMessage.updateMany({
        where: { id: { in: delivered } },
        data: { deliveredAt: new Date() },
      });
    }
    return {
      ok: true,
      code,
      status: report.status,
      ...(report.outcome ? { outcome: report.outcome } : {}),
      questions,
    };
  }

  async appendCase(
    tx: Tx,
    ctx: EffectContext,
    output: Extract<FlowOutput, { type: "case.append" }>,
  ): Promise<FlowEvent> {
    const access = openCaseAccess(this.opts.sealer, ctx.state);
    const code = normalizeReportCode(output.code);
    if (!access || !code || access.code !== code || new Date(access.until) < ctx.now) {
      return { type: "case.appended", ok: false };
    }
    const report = await tx.report.findUnique({ where: { code } });
    if (!report) return { type: "case.appended", ok: false };
    let replyTo: string | undefined;
    if (output.answersQuestionId) {
      const question = await tx.caseMessage.findFirst({
        where: { id: output.answersQuestionId, reportId: report.id, kind: "question" },
      });
      if (!question) return { type: "case.appended", ok: false };
      replyTo = question.id;
    }
    const kind = replyTo ? ("answer" as const) : ("info" as const);
    const message = output.text?.trim()
      ? await tx.caseMessage.create({
          data: {
            reportId: report.id,
            kind,
            bodySealed: new Uint8Array(this.opts.sealer.seal(output.text.trim())),
            ...(replyTo ? { replyTo } : {}),
          },
        })
      : undefined;
    const evidence = output.evidenceRefs?.length
      ? await tx.evidence.updateMany({
          where: { id: { in: output.evidenceRefs }, conversationKey: ctx.conversationKey, reportId: null },
          data: { reportId: report.id },
        })
      : { count: 0 };
    await tx.auditEvent.create({
      data: {
        actor: "reporter",
        action: `case.${kind}`,
        reportId: report.id,
        details: { evidence: evidence.count },
      },
    });
    await this.opts.hooks?.onCaseAppended?.(tx, {
      reportId: report.id,
      code,
      kind,
      ...(message ? { messageId: message.id } : {}),
      evidenceCount: evidence.count,
    });
    return { type: "case.appended", ok: true };
  }

  private async uniqueCode(tx: Tx): Promise<string> {
    for (;;) {
      const code = generateReportCode((n) => randomBytes(n));
      if ((await tx.report.count({ where: { code } })) === 0) return code;
    }
  }
}

const COUNTRIES: [RegExp, string][] = [
  [/kamboja|cambodia/i, "KH"],
  [/myanmar|burma/i, "MM"],
  [/\blaos?\b|lao pdr/i, "LA"],
  [/thailand|thai/i, "TH"],
  [/malaysia/i, "MY"],
  [/singapur|singapore/i, "SG"],
  [/taiwan/i, "TW"],
  [/hong ?kong/i, "HK"],
  [/jepang|japan/i, "JP"],
  [/korea/i, "KR"],
  [/arab saudi|saudi/i, "SA"],
  [/uni emirat|emirates|uae|dubai|abu dhabi/i, "AE"],
  [/qatar/i, "QA"],
  [/turki|turkey|türkiye/i, "TR"],
  [/australia/i, "AU"],
  [/filipina|philippines/i, "PH"],
  [/vietnam/i, "VN"],
  [/china|tiongkok|cina/i, "CN"],
  [/indonesia|bali|denpasar|jakarta|surabaya/i, "ID"],
];

/** Country code for statistics from what the reporter typed; free text never leaves the sealed report. */
export function normalizeCountry(text: string | undefined): string | null {
  if (!text?.trim()) return null;
  for (const [pattern, code] of COUNTRIES) if (pattern.test(text)) return code;
  return "other";
}
