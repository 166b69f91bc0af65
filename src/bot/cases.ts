import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { FlowEvent, FlowOutput, StatusResult } from "../flows/message.ts";
import { type Report, reportSchema } from "../flows/report.ts";
import { type TriageResult, triage } from "../flows/triage.ts";
import { appendAudit } from "../storage/audit.ts";
import {
  addCaseMessage,
  findCaseQuestion,
  listCaseMessages,
  markQuestionsDelivered,
} from "../storage/case-messages.ts";
import {
  caseCodeTaken,
  findCaseByCode,
  findCaseById,
  insertCase,
  lockCaseByCode,
  setCaseConversation,
} from "../storage/cases.ts";
import { setContactConsent } from "../storage/conversation-contact.ts";
import { hashPin, type Sealer, sealedAt } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";
import { attachDraftEvidence } from "../storage/evidence.ts";
import type { SenderLimits } from "../storage/sender-limits.ts";
import {
  conversationPinFailures,
  countPinFailure,
  grantCaseAccess,
  isOwnCase,
  openCaseAccess,
  rememberOwnCase,
} from "./case-access.ts";
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
  /** The pseudonym of the conversation that filed it (bursts of one sender share an escalation). */
  senderKey: string;
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
  /**
   * Wrong PINs a conversation may type within an hour before it must wait; default 5. A code is
   * locked for everyone but the conversation that filed it after four times as many (see `checkPin`).
   */
  maxPinFailures?: number;
  /** Per-sender limits: the reports a sender may file a day. None: no limit. */
  limits?: Pick<SenderLimits, "take"> | undefined;
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
    // Danger (chosen or typed: triage reads the story too) and check-in alarms are always filed, uncounted.
    const { limits, log } = this.opts;
    const counted = result.urgency !== "critical" && report.checkin === undefined;
    if (limits && counted && (await limits.take("reports", ctx.conversationKey)) !== "ok") {
      log.warn(
        { conversation: ctx.conversationKey, urgency: result.urgency },
        "sender over the report limit",
      );
      return { type: "report.limited" };
    }
    const code = await this.uniqueCode(tx);
    const pin = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const id = randomUUID();
    await insertCase(tx, {
      id,
      code,
      pinHash: await hashPin(pin),
      urgency: result.urgency,
      reasons: result.reasons,
      situation: report.situation,
      country: normalizeCountry(report.country ?? report.migration?.destination),
      contentSealed: this.opts.sealer.sealJson(report, sealedAt.reportContent(id)),
      consentContact: report.consentContact,
      conversationKey: report.consentContact ? ctx.conversationKey : null,
      createdAt: ctx.now,
    });
    const evidenceCount = await attachDraftEvidence(tx, report.evidenceRefs, ctx.conversationKey, id);
    if (report.consentContact) await setContactConsent(tx, ctx.conversationKey);
    rememberOwnCase(this.opts.sealer, ctx, code);
    await appendAudit(tx, {
      actor: "system",
      action: "report.submitted",
      reportId: id,
      details: { urgency: result.urgency, reasons: result.reasons, evidence: evidenceCount },
    });
    const passedOn = await this.opts.hooks?.onReportStored?.(tx, {
      id,
      code,
      report,
      triage: result,
      createdAt: ctx.now,
      evidenceCount,
      senderKey: ctx.conversationKey,
    });
    this.opts.log.info(
      { conversation: ctx.conversationKey, report: id, urgency: result.urgency },
      "report stored",
    );
    return { type: "report.stored", code, pin, passedOn: passedOn === true };
  }

  async lookupStatus(tx: Tx, ctx: EffectContext, codeInput: string, pin: string): Promise<FlowEvent> {
    const fail: FlowEvent = { type: "status.result", result: { ok: false } };
    const code = normalizeReportCode(codeInput);
    const report = (code ? await lockCaseByCode(tx, code) : undefined) ?? null;
    const max = this.opts.maxPinFailures ?? 5;
    const owner = report !== null && code !== undefined && isOwnCase(this.opts.sealer, ctx, code);
    // A conversation that guessed too often waits; the owner's own conversation never does.
    const tooMany = !owner && conversationPinFailures(ctx) >= max;
    const opened = await checkPin(tx, tooMany ? null : report, pin, ctx.now, max * 4, owner);
    if (!opened && !owner) countPinFailure(ctx);
    if (!opened || !report || !code) return fail;
    grantCaseAccess(this.opts.sealer, ctx, code);
    // A reporter who checks in is reachable again: later officer questions can be pushed here.
    if (report.consentContact && report.conversationKey !== ctx.conversationKey) {
      await setCaseConversation(tx, report.id, ctx.conversationKey);
    }
    return { type: "status.result", result: await this.statusOf(tx, report.id, code) };
  }

  private async statusOf(tx: Tx, reportId: string, code: string): Promise<StatusResult> {
    const report = await findCaseById(tx, reportId);
    if (!report) throw new Error("case vanished while its status was read");
    const messages = await listCaseMessages(tx, reportId, ["question", "answer"]);
    const answered = new Set(messages.filter((m) => m.kind === "answer" && m.replyTo).map((m) => m.replyTo));
    // A question that does not open here (moved from elsewhere) is left out; the sealer logs it.
    const questions = messages
      .filter((m) => m.kind === "question")
      .flatMap((m) => {
        const text = this.opts.sealer.tryOpen(m.bodySealed, sealedAt.caseMessageBody(m.id));
        return text ? [{ id: m.id, text: text.toString("utf8"), answered: answered.has(m.id) }] : [];
      });
    const delivered = messages.filter((m) => m.kind === "question" && !m.deliveredAt).map((m) => m.id);
    await markQuestionsDelivered(tx, delivered, new Date());
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
    const access = openCaseAccess(this.opts.sealer, ctx);
    const code = normalizeReportCode(output.code);
    if (!access || !code || access.code !== code || new Date(access.until) < ctx.now) {
      return { type: "case.appended", ok: false };
    }
    const report = await findCaseByCode(tx, code);
    if (!report) return { type: "case.appended", ok: false };
    let replyTo: string | undefined;
    if (output.answersQuestionId) {
      const question = await findCaseQuestion(tx, report.id, output.answersQuestionId);
      if (!question) return { type: "case.appended", ok: false };
      replyTo = question.id;
    }
    const kind = replyTo ? ("answer" as const) : ("info" as const);
    const messageId = randomUUID();
    const message = output.text?.trim()
      ? await addCaseMessage(tx, {
          id: messageId,
          reportId: report.id,
          kind,
          bodySealed: new Uint8Array(
            this.opts.sealer.seal(output.text.trim(), sealedAt.caseMessageBody(messageId)),
          ),
          ...(replyTo ? { replyTo } : {}),
        })
      : undefined;
    const evidenceCount = output.evidenceRefs?.length
      ? await attachDraftEvidence(tx, output.evidenceRefs, ctx.conversationKey, report.id)
      : 0;
    await appendAudit(tx, {
      actor: "reporter",
      action: `case.${kind}`,
      reportId: report.id,
      details: { evidence: evidenceCount },
    });
    await this.opts.hooks?.onCaseAppended?.(tx, {
      reportId: report.id,
      code,
      kind,
      ...(message ? { messageId: message.id } : {}),
      evidenceCount,
    });
    return { type: "case.appended", ok: true };
  }

  private async uniqueCode(tx: Tx): Promise<string> {
    for (;;) {
      const code = generateReportCode((n) => randomBytes(n));
      if (!(await caseCodeTaken(tx, code))) return code;
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
