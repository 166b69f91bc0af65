import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { t } from "../../flows/content/catalog.ts";
import type { Lang, OutboundMessage } from "../../flows/message.ts";
import type { Report } from "../../flows/report.ts";
import { recordReceipt } from "../../storage/conversations.ts";
import { type Sealer, sha256Hex } from "../../storage/crypto.ts";
import type { Database, Tx } from "../../storage/database.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../../storage/outbox.ts";
import type { CaseHooks } from "../cases.ts";
import type { Dispatcher } from "../dispatcher.ts";
import type { Engine, JobScheduler } from "../engine.ts";
import { caseDetailText, closePrompt } from "./case-summary.ts";
import { type CaseListItem, caseListText, officerQuestionText, statusChangedText } from "./case-texts.ts";
import { type Escalation, lockReport } from "./escalation.ts";
import type { Urgency } from "./escalation-plan.ts";
import {
  type CaseStatus,
  type OfficerCommand,
  type Outcome,
  parseOfficerCommand,
} from "./officer-commands.ts";
import { type OfficerDirectory, type OfficerTarget, toTarget } from "./officer-directory.ts";
import type { OfficerGateway, OfficerInbound, OfficerRouting } from "./officer-gateway.ts";
import { officerReplies as say } from "./officer-replies.ts";

export interface OfficerServiceOptions {
  db: Database;
  directory: OfficerDirectory;
  escalation: Escalation;
  sealer: Sealer;
  log: Logger;
  /** Makes each push durable: a job in the officer's transaction re-sends it if the process dies. */
  jobs?: JobScheduler;
  now?: () => Date;
}

/** Queue of durable pushes to reporters (the backstop behind the immediate push after commit). */
export const REPORTER_PUSH_QUEUE = "reporter-push";
/** How long the durable copy waits before checking that the immediate push happened. */
const PUSH_BACKSTOP_MS = 10_000;

/** What an officer action pushes to a reporter after the commit (through the engine). */
type ReporterPush = {
  conversationKey: string;
  channel: string;
  code: string;
  text: string;
  externalId: string;
};

type Run = {
  tx: Tx;
  officerId: string;
  inbound: OfficerInbound;
  now: Date;
  out: NewOutboxMessage[];
  pushes: ReporterPush[];
  /** Queues a message to the chat the command came from (`purpose` defaults to `officer.reply`). */
  reply(message: OutboundMessage | string, purpose?: string): void;
};

/** How long the "Tanya pelapor" button waits for the officer's next message. */
const ASK_WINDOW_MS = 15 * 60 * 1000;
/** Evidence files sent with one case detail; the rest come from the admin export. */
const MAX_EVIDENCE_FILES = 10;

/**
 * The officers' side of the bot, behind the {@link OfficerGateway} port: recognises officers
 * (contacts file or invite registration), runs their commands and buttons as audited actions,
 * pushes status changes and questions to reachable reporters through the engine, and relays the
 * reporters' answers back to officers. Officers never see who the reporter is, and reporters
 * never see which officer or chat asked.
 */
export class OfficerService implements OfficerGateway {
  private svc: { engine: Engine; dispatcher: Dispatcher } | undefined;
  /** Officers who pressed "Tanya pelapor" and whose next message is the question (per chat, in memory). */
  private readonly pendingAsks = new Map<string, { code: string; until: number }>();
  private readonly now: () => Date;

  constructor(private readonly opts: OfficerServiceOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Gives the service the engine and dispatcher once they exist (plugin `start`). */
  attach(svc: { engine: Engine; dispatcher: Dispatcher }): void {
    this.svc = svc;
  }

  async route(inbound: OfficerInbound): Promise<OfficerRouting> {
    const raw = inbound.buttonId ?? inbound.text;
    const command = raw ? parseOfficerCommand(raw) : undefined;
    const { directory } = this.opts;
    const senderKey = directory.senderKey(inbound);
    const pendingKey = `${senderKey}:${targetId(toTarget(inbound.address))}`;
    const pending = !command && inbound.text ? this.pendingAsks.get(pendingKey) : undefined;
    if (!command && !pending) return inbound.isGroup ? "ignore" : "user";

    const now = this.now();
    const result = await this.opts.db.transaction(async (tx) => {
      const officerId = await directory.identify(tx, inbound);
      const out: NewOutboxMessage[] = [];
      const pushes: ReporterPush[] = [];
      const here = toTarget(inbound.address);
      let replies = 0;
      const reply = (message: OutboundMessage | string, purpose = "officer.reply") => {
        const m: OutboundMessage = typeof message === "string" ? { type: "text", text: message } : message;
        out.push(directory.outbox(here, m, `officer-reply:${inbound.externalId}:${replies++}`, purpose));
      };
      if (!officerId) {
        if (command?.type === "register") {
          if (!(await recordReceipt(tx, here.channel, `officer:${inbound.externalId}`, senderKey))) {
            return { routing: "handled" as const, out, pushes };
          }
          await this.register(tx, inbound, command.invite, reply, now);
          await enqueueOutbox(tx, out);
          return { routing: "handled" as const, out, pushes };
        }
        if (isUserCommand(raw ?? "")) return { routing: "user" as const, out, pushes };
        await tx.auditEvent.create({
          data: {
            actor: senderKey,
            action: "officer.denied",
            details: {
              channel: inbound.address.channel,
              command: command ? (command.type === "usage" ? command.command : command.type) : "ask",
              group: inbound.isGroup,
            },
          },
        });
        return { routing: inbound.isGroup ? ("ignore" as const) : ("user_menu" as const), out, pushes };
      }
      if (!(await recordReceipt(tx, here.channel, `officer:${inbound.externalId}`, senderKey))) {
        return { routing: "handled" as const, out, pushes };
      }
      const run: Run = { tx, officerId, inbound, now, out, pushes, reply };
      if (pending) {
        this.pendingAsks.delete(pendingKey);
        await this.ask(run, pending.code, inbound.text ?? "");
      } else if (command) {
        await this.execute(run, command, pendingKey);
      }
      await enqueueOutbox(tx, out);
      return { routing: "handled" as const, out, pushes };
    });
    if (result.out.length > 0) this.svc?.dispatcher.kick();
    await this.pushAll(result.pushes);
    return result.routing;
  }

  /** Relays a reporter's answer or addition to the officers on the case (runs in the reporter's transaction). */
  readonly hooks: CaseHooks = {
    onCaseAppended: async (tx, event) => {
      const report = await tx.report.findUnique({ where: { id: event.reportId } });
      if (!report) return;
      const message = await addedInThisTransaction(tx, report.id, event.kind);
      const fresh = message !== undefined;
      const recipients = new Set<string>();
      if (fresh && message.replyTo) {
        const question = await tx.caseMessage.findUnique({ where: { id: message.replyTo } });
        if (question?.officerId) recipients.add(question.officerId);
      }
      if (report.assignedOfficerId) recipients.add(report.assignedOfficerId);
      if (recipients.size === 0) {
        const steps = await tx.escalation.findMany({ where: { reportId: report.id } });
        const acked = steps.find((s) => s.status === "acknowledged" && s.ackedBy);
        if (acked?.ackedBy) recipients.add(acked.ackedBy);
        else for (const s of steps) for (const id of s.officerIds) recipients.add(id);
      }
      if (recipients.size === 0) return;
      const parts: string[] = [];
      if (fresh) {
        const body = this.opts.sealer.open(message.bodySealed).toString("utf8");
        parts.push(event.kind === "answer" ? say.answer(event.code, body) : say.info(event.code, body));
      }
      if (event.evidenceCount > 0) parts.push(say.newEvidence(event.code, event.evidenceCount));
      if (parts.length === 0) return;
      const text: OutboundMessage = { type: "text", text: parts.join("\n\n") };
      const relayId = fresh ? message.id : randomUUID();
      const out: NewOutboxMessage[] = [];
      for (const officerId of recipients) {
        const target = await this.opts.directory.target(tx, officerId);
        if (target) {
          out.push(
            this.opts.directory.outbox(target, text, `relay:${relayId}:${officerId}`, `relay.${event.kind}`),
          );
        }
      }
      await enqueueOutbox(tx, out);
      await tx.auditEvent.create({
        data: {
          actor: "system",
          action: "relay.to_officers",
          reportId: report.id,
          details: { kind: event.kind, officers: [...recipients], evidence: event.evidenceCount },
        },
      });
    },
  };

  private async execute(run: Run, command: OfficerCommand, pendingKey: string): Promise<void> {
    switch (command.type) {
      case "usage":
        return run.reply(say.usage(command.command));
      case "list":
        return this.list(run);
      case "register":
        return this.register(run.tx, run.inbound, command.invite, run.reply, run.now);
    }
    const report = await findCase(run.tx, command.code);
    if (!report) return run.reply(say.unknownCase(command.code));
    const code = report.code;
    switch (command.type) {
      case "detail":
        return this.detail(run, report.id);
      case "ack": {
        const result = await this.opts.escalation.acknowledge(run.tx, report.id, run.officerId, "ack");
        if (result.already && result.already !== run.officerId) {
          return run.reply(say.alreadyAcked(code, this.opts.directory.name(result.already)));
        }
        if (!result.stopped) await this.audit(run, "case.acknowledged", report.id);
        return run.reply(say.acked(code));
      }
      case "claim": {
        if (report.assignedOfficerId && report.assignedOfficerId !== run.officerId) {
          return run.reply(say.claimedByOther(code, this.opts.directory.name(report.assignedOfficerId)));
        }
        await run.tx.report.update({ where: { id: report.id }, data: { assignedOfficerId: run.officerId } });
        await this.opts.escalation.acknowledge(run.tx, report.id, run.officerId, "claim");
        await this.audit(run, "case.claimed", report.id);
        return run.reply(say.claimed(code));
      }
      case "note": {
        await run.tx.caseMessage.create({
          data: {
            reportId: report.id,
            kind: "note",
            officerId: run.officerId,
            bodySealed: new Uint8Array(this.opts.sealer.seal(command.note)),
          },
        });
        await this.opts.escalation.acknowledge(run.tx, report.id, run.officerId, "note");
        await this.audit(run, "case.note", report.id);
        return run.reply(say.noted(code));
      }
      case "ask": {
        if (command.question === undefined) {
          this.pendingAsks.set(pendingKey, { code, until: Date.now() + ASK_WINDOW_MS });
          this.expirePending();
          return run.reply(say.askPrompt(code));
        }
        return this.ask(run, code, command.question);
      }
      case "close":
        if (!command.outcome) return run.reply(closePrompt(code));
        return this.changeStatus(run, report.id, "closed", command.outcome);
      case "status":
        return this.changeStatus(run, report.id, command.status, command.outcome);
    }
  }

  private async list(run: Run): Promise<void> {
    const rows = await run.tx.report.findMany({
      where: { status: { not: "closed" } },
      orderBy: { createdAt: "desc" },
      take: 200,
    });
    const items: CaseListItem[] = rows.map((r) => ({
      code: r.code,
      urgency: r.urgency as Urgency,
      situation: r.situation as CaseListItem["situation"],
      status: r.status,
      receivedAt: r.createdAt,
      ...(r.assignedOfficerId ? { assignee: this.opts.directory.name(r.assignedOfficerId) } : {}),
    }));
    await this.audit(run, "case.listed", null, { count: items.length });
    run.reply(caseListText(items, this.opts.directory.contacts.timezone));
  }

  private async detail(run: Run, reportId: string): Promise<void> {
    const { tx } = run;
    const row = await tx.report.findUniqueOrThrow({ where: { id: reportId } });
    const messages = await tx.caseMessage.findMany({ where: { reportId }, orderBy: { createdAt: "asc" } });
    const open = (b: Uint8Array) => this.opts.sealer.open(b).toString("utf8");
    const answers = new Map(
      messages.filter((m) => m.kind === "answer" && m.replyTo).map((m) => [m.replyTo, m]),
    );
    const evidenceCount = await tx.evidence.count({ where: { reportId } });
    const message = caseDetailText({
      code: row.code,
      urgency: row.urgency as Urgency,
      reasons: row.reasons,
      report: this.opts.sealer.openJson<Report>(row.contentSealed),
      receivedAt: row.createdAt,
      evidenceCount,
      timeZone: this.opts.directory.contacts.timezone,
      status: row.status,
      ...(row.outcome ? { outcome: row.outcome as Outcome } : {}),
      ...(row.assignedOfficerId ? { assignee: this.opts.directory.name(row.assignedOfficerId) } : {}),
      notes: messages
        .filter((m) => m.kind === "note" || m.kind === "info")
        .map((m) => ({
          at: m.createdAt,
          author: m.kind === "note" ? this.opts.directory.name(m.officerId ?? "") : "pelapor",
          text: open(m.bodySealed),
        })),
      questions: messages
        .filter((m) => m.kind === "question")
        .map((m) => {
          const answer = answers.get(m.id);
          return {
            at: m.createdAt,
            text: open(m.bodySealed),
            ...(answer ? { answer: open(answer.bodySealed) } : {}),
          };
        }),
    });
    await this.audit(run, "case.viewed", reportId);
    run.reply(message);
    if (evidenceCount > 0) await this.sendEvidence(run, reportId, row.code, evidenceCount);
  }

  /**
   * Queues the case's evidence as files to the officer's chat, oldest first and at most
   * {@link MAX_EVIDENCE_FILES}. The outbox keeps only evidence ids; the channel sender reads and uploads
   * the bytes. Files are named after the case code and a number, never the uploader's file name.
   */
  private async sendEvidence(run: Run, reportId: string, code: string, total: number): Promise<void> {
    const rows = await run.tx.evidence.findMany({
      where: { reportId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: MAX_EVIDENCE_FILES,
      select: { id: true },
    });
    rows.forEach((row, i) => {
      run.reply(
        {
          type: "file",
          ref: row.id,
          name: `${code}-${i + 1}`,
          caption: say.evidenceCaption(code, i + 1, total),
        },
        "officer.evidence",
      );
    });
    if (total > rows.length) run.reply(say.evidenceMore(code, total - rows.length), "officer.evidence");
    await this.audit(run, "evidence.sent", reportId, { count: rows.length });
  }

  private async ask(run: Run, code: string, question: string): Promise<void> {
    const text = question.trim();
    if (!text || text.length > 1000) return run.reply(say.usage("ask"));
    const report = await findCase(run.tx, code);
    if (!report) return run.reply(say.unknownCase(code));
    const created = await run.tx.caseMessage.create({
      data: {
        reportId: report.id,
        kind: "question",
        officerId: run.officerId,
        bodySealed: new Uint8Array(this.opts.sealer.seal(text)),
      },
    });
    await this.opts.escalation.acknowledge(run.tx, report.id, run.officerId, "ask");
    await this.audit(run, "case.question", report.id);
    const pushed = await this.pushTo(run, report, `question:${created.id}`, (lang) =>
      officerQuestionText(lang, report.code, text),
    );
    run.reply(say.asked(report.code, pushed));
  }

  private async changeStatus(
    run: Run,
    reportId: string,
    status: CaseStatus,
    outcome?: Outcome,
  ): Promise<void> {
    const report = await run.tx.report.findUniqueOrThrow({ where: { id: reportId } });
    await run.tx.report.update({
      where: { id: reportId },
      data: {
        status,
        outcome: status === "closed" ? (outcome ?? null) : null,
        closedAt: status === "closed" ? run.now : null,
      },
    });
    await this.opts.escalation.acknowledge(run.tx, reportId, run.officerId, "status");
    await this.audit(run, "case.status", reportId, {
      from: report.status,
      to: status,
      outcome: outcome ?? null,
    });
    const pushed = await this.pushTo(run, report, `status:${run.inbound.externalId}`, (lang) =>
      statusChangedText(lang, status, outcome),
    );
    run.reply(say.statusChanged(report.code, t("id", `officers.status.${status}`), pushed));
  }

  /** Queues a push to the reporter when they consented and their conversation still has an address. */
  private async pushTo(
    run: Run,
    report: { code: string; conversationKey: string | null },
    id: string,
    text: (lang: Lang) => string,
  ): Promise<boolean> {
    if (!report.conversationKey) return false;
    const conversation = await run.tx.conversation.findUnique({ where: { key: report.conversationKey } });
    if (!conversation?.addressSealed) return false;
    const lang: Lang = conversation.lang === "en" ? "en" : "id";
    const push: ReporterPush = {
      conversationKey: conversation.key,
      channel: conversation.channel,
      code: report.code,
      text: text(lang),
      externalId: `case-update:${id}`,
    };
    run.pushes.push(push);
    // Job data is stored in plain tables, so the push travels sealed. Both copies carry the same
    // delivery id, so the reporter sees the update once whichever runs first.
    await this.opts.jobs?.scheduleInTx(
      run.tx,
      REPORTER_PUSH_QUEUE,
      { sealed: Buffer.from(this.opts.sealer.sealJson(push)).toString("base64") },
      new Date(run.now.getTime() + PUSH_BACKSTOP_MS),
    );
    return true;
  }

  /** Runs a durable push job (see {@link REPORTER_PUSH_QUEUE}); a push already made is a no-op. */
  async runPushJob(data: unknown): Promise<void> {
    const sealed = (data as { sealed?: unknown } | undefined)?.sealed;
    if (typeof sealed !== "string") return;
    const push = this.opts.sealer.openJson<ReporterPush>(Buffer.from(sealed, "base64"));
    if (!this.svc) throw new Error("officer service not started");
    // A failure throws, so pg-boss retries the job.
    await this.svc.engine.handle({
      conversationKey: push.conversationKey,
      channel: push.channel,
      externalId: push.externalId,
      event: { type: "case.update", code: push.code, text: push.text },
    });
  }

  private async pushAll(pushes: ReporterPush[]): Promise<void> {
    for (const p of pushes) {
      try {
        await this.svc?.engine.handle({
          conversationKey: p.conversationKey,
          channel: p.channel,
          externalId: p.externalId,
          event: { type: "case.update", code: p.code, text: p.text },
        });
      } catch (error) {
        // The update stays visible at the reporter's next status check.
        this.opts.log.error(
          { conversation: p.conversationKey, err: (error as Error).message },
          "case update push failed",
        );
      }
    }
  }

  private async register(
    tx: Tx,
    inbound: OfficerInbound,
    invite: string,
    reply: (m: string) => void,
    now: Date,
  ): Promise<void> {
    const senderKey = this.opts.directory.senderKey(inbound);
    if (inbound.isGroup) return reply(say.registerPrivateOnly);
    const row = await tx.officerInvite.findUnique({ where: { codeHash: inviteHash(invite) } });
    if (!row || row.usedAt || row.expiresAt <= now || !this.opts.directory.byId(row.officerId)) {
      await tx.auditEvent.create({
        data: {
          actor: senderKey,
          action: "officer.register_failed",
          details: { channel: inbound.address.channel },
        },
      });
      return reply(say.registerFailed);
    }
    const taken = await tx.officer.findUnique({ where: { channelKey: senderKey } });
    if (taken && taken.id !== row.officerId) return reply(say.registerTaken);
    await tx.officerInvite.update({ where: { codeHash: row.codeHash }, data: { usedAt: now } });
    const data = {
      channel: inbound.address.channel,
      channelKey: senderKey,
      addressSealed: this.opts.sealer.sealJson(inbound.address),
      active: true,
    };
    await tx.officer.upsert({
      where: { id: row.officerId },
      create: { id: row.officerId, ...data },
      update: data,
    });
    await tx.auditEvent.create({
      data: {
        actor: row.officerId,
        action: "officer.registered",
        details: { channel: inbound.address.channel },
      },
    });
    reply(say.registered(this.opts.directory.name(row.officerId)));
  }

  private async audit(
    run: Run,
    action: string,
    reportId: string | null,
    details: object = {},
  ): Promise<void> {
    await run.tx.auditEvent.create({
      data: {
        actor: run.officerId,
        action,
        reportId,
        details: { channel: run.inbound.address.channel, group: run.inbound.isGroup, ...details },
      },
    });
  }

  private expirePending(): void {
    const now = Date.now();
    for (const [key, value] of this.pendingAsks) if (value.until < now) this.pendingAsks.delete(key);
  }
}

/** The hash stored for an invite code (codes are compared case-insensitively, dashes ignored). */
export function inviteHash(code: string): string {
  return sha256Hex(`officer-invite:${code.toUpperCase().replace(/[^A-Z0-9]/g, "")}`);
}

/** Commands an ordinary user may send that the officer parser also knows (`/status` alone). */
function isUserCommand(raw: string): boolean {
  return /^\/status(@[a-z0-9_]+)?$/i.test(raw.trim());
}

async function findCase(tx: Tx, code: string) {
  const found = await tx.report.findUnique({ where: { code }, select: { id: true } });
  if (!found) return undefined;
  await lockReport(tx, found.id);
  return tx.report.findUniqueOrThrow({ where: { id: found.id } });
}

/**
 * The answer or information the reporter's transaction just stored (the hook does not carry the
 * text): the row whose `xmin` is this transaction's id. Undefined when only evidence was added.
 */
async function addedInThisTransaction(tx: Tx, reportId: string, kind: "answer" | "info") {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM case_message
    WHERE report_id = ${reportId} AND kind::text = ${kind}
      AND xmin::text = (txid_current() % 4294967296)::text
    LIMIT 1`;
  const id = rows[0]?.id;
  return id ? tx.caseMessage.findUniqueOrThrow({ where: { id } }) : undefined;
}

function targetId(target: OfficerTarget): string {
  return "chatId" in target.address ? `t${target.address.chatId}` : `w${target.address.waId}`;
}
