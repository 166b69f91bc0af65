import type { Logger } from "pino";
import type { OutboundMessage } from "../../flows/message.ts";
import { appendAudit } from "../../storage/audit.ts";
import { recordReceipt } from "../../storage/conversations.ts";
import type { Sealer } from "../../storage/crypto.ts";
import type { Database } from "../../storage/database.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../../storage/outbox.ts";
import type { CaseHooks } from "../cases.ts";
import type { Dispatcher } from "../dispatcher.ts";
import type { Engine, JobScheduler } from "../engine.ts";
import { type CommandDeps, runOfficerCommand } from "./commands/index.ts";
import type { Escalation } from "./escalation.ts";
import { parseOfficerCommand } from "./officer-commands.ts";
import { type OfficerDirectory, type OfficerTarget, toTarget } from "./officer-directory.ts";
import type { OfficerGateway, OfficerInbound, OfficerRouting } from "./officer-gateway.ts";
import { registerOfficer } from "./officer-invites.ts";
import { officerReplies as say } from "./officer-replies.ts";
import type { OfficerRun } from "./officer-run.ts";
import { Relay } from "./relay.ts";
import { type ReporterPush, ReporterPushes } from "./reporter-push.ts";

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

/**
 * The officers' side of the bot, behind the {@link OfficerGateway} port: recognises officers
 * (contacts file or invite registration), runs their commands and buttons (`commands/`) as audited
 * actions in one transaction each, then pushes status changes and questions to reachable reporters
 * (`reporter-push.ts`). Reporters' answers come back through {@link hooks} (`relay.ts`).
 */
export class OfficerService implements OfficerGateway {
  private svc: { engine: Engine; dispatcher: Dispatcher } | undefined;
  private readonly now: () => Date;
  private readonly pushes: ReporterPushes;
  private readonly relay: Relay;
  private readonly deps: CommandDeps;

  constructor(private readonly opts: OfficerServiceOptions) {
    this.now = opts.now ?? (() => new Date());
    this.pushes = new ReporterPushes({
      sealer: opts.sealer,
      log: opts.log,
      jobs: opts.jobs,
      engine: () => this.svc?.engine,
    });
    const { directory, escalation, sealer } = opts;
    this.relay = new Relay({ directory, escalation, sealer, pushes: this.pushes });
    this.deps = { directory, escalation, sealer, relay: this.relay, pushes: this.pushes };
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
    const chatKey = `${senderKey}:${targetId(toTarget(inbound.address))}`;
    const pending = !command && inbound.text ? this.relay.pendingQuestion(chatKey) : undefined;
    if (!command && !pending) return inbound.isGroup ? "ignore" : "user";

    const now = this.now();
    const result = await this.opts.db.transaction(async (tx) => {
      const officer = await directory.identify(tx, inbound);
      const out: NewOutboxMessage[] = [];
      const pushes: ReporterPush[] = [];
      const here = toTarget(inbound.address);
      let replies = 0;
      const reply = (message: OutboundMessage | string, purpose = "officer.reply") => {
        const m: OutboundMessage = typeof message === "string" ? { type: "text", text: message } : message;
        out.push(directory.outbox(here, m, `officer-reply:${inbound.externalId}:${replies++}`, purpose));
      };
      if (!officer) {
        if (command?.type === "register") {
          if (!(await recordReceipt(tx, here.channel, `officer:${inbound.externalId}`, senderKey))) {
            return { routing: "handled" as const, out, pushes };
          }
          await registerOfficer(tx, this.opts, { inbound, invite: command.invite, now, reply });
          await enqueueOutbox(tx, out);
          return { routing: "handled" as const, out, pushes };
        }
        if (isUserCommand(raw ?? "")) return { routing: "user" as const, out, pushes };
        await appendAudit(tx, {
          actor: senderKey,
          action: "officer.denied",
          details: {
            channel: inbound.address.channel,
            command: command ? (command.type === "usage" ? command.command : command.type) : "ask",
            group: inbound.isGroup,
          },
        });
        if (!inbound.isGroup) return { routing: "user_menu" as const, out, pushes };
        // In a unit's own group, say once per command why nothing happens; elsewhere stay silent.
        if (
          directory.unitGroup(inbound) &&
          (await recordReceipt(tx, here.channel, `officer:${inbound.externalId}`, senderKey))
        ) {
          reply(say.groupNotOfficer);
          await enqueueOutbox(tx, out);
        }
        return { routing: "ignore" as const, out, pushes };
      }
      if (!(await recordReceipt(tx, here.channel, `officer:${inbound.externalId}`, senderKey))) {
        return { routing: "handled" as const, out, pushes };
      }
      const run: OfficerRun = { tx, ...officer, inbound, now, chatKey, out, pushes, reply };
      if (pending) {
        this.relay.forget(chatKey);
        await this.relay.ask(run, pending, inbound.text ?? "");
      } else if (command) {
        await runOfficerCommand(run, command, this.deps);
      }
      await enqueueOutbox(tx, out);
      return { routing: "handled" as const, out, pushes };
    });
    if (result.out.length > 0) this.svc?.dispatcher.kick();
    await this.pushes.deliver(result.pushes);
    return result.routing;
  }

  /** Relays a reporter's answer or addition to the officers on the case (runs in the reporter's transaction). */
  readonly hooks: CaseHooks = {
    onCaseAppended: (tx, event) => this.relay.onCaseAppended(tx, event),
  };

  /** Runs a durable push job (see `REPORTER_PUSH_QUEUE`); a push already made is a no-op. */
  runPushJob(data: unknown): Promise<void> {
    return this.pushes.runJob(data);
  }
}

/** Commands an ordinary user may send that the officer parser also knows (`/status` alone). */
function isUserCommand(raw: string): boolean {
  return /^\/status(@[a-z0-9_]+)?$/i.test(raw.trim());
}

function targetId(target: OfficerTarget): string {
  return "chatId" in target.address ? `t${target.address.chatId}` : `w${target.address.waId}`;
}
