import type { Logger } from "pino";
import type { Lang } from "../../flows/message.ts";
import { findConversationReach } from "../../storage/conversation-contact.ts";
import { type Sealer, sealedAt } from "../../storage/crypto.ts";
import type { Tx } from "../../storage/database.ts";
import type { Engine, Inbound, JobScheduler } from "../engine.ts";

/** Queue of durable pushes to reporters (the backstop behind the immediate push after commit). */
export const REPORTER_PUSH_QUEUE = "reporter-push";
/** How long the durable copy waits before checking that the immediate push happened. */
const PUSH_BACKSTOP_MS = 10_000;

/** What an officer action pushes to a reporter after the commit (through the engine). */
export type ReporterPush = {
  conversationKey: string;
  channel: string;
  code: string;
  text: string;
  externalId: string;
};

export interface ReporterPushesOptions {
  sealer: Sealer;
  log: Logger;
  /** Makes each push durable: a job in the officer's transaction re-sends it if the process dies. */
  jobs?: JobScheduler | undefined;
  /** The engine once the service has started (`undefined` before). */
  engine: () => Engine | undefined;
}

/**
 * Messages to a reporter caused by an officer (status changes, officer questions). Each push is
 * queued in the officer's transaction, sent through the engine right after the commit, and backed
 * by a durable job carrying the same delivery id, so the reporter sees it once.
 */
export class ReporterPushes {
  constructor(private readonly opts: ReporterPushesOptions) {}

  /**
   * Queues a push to the reporter when they consented and their conversation still has an address.
   * Returns whether a push was queued.
   */
  async queue(
    run: { tx: Tx; now: Date; pushes: ReporterPush[] },
    report: { code: string; conversationKey: string | null },
    id: string,
    text: (lang: Lang) => string,
  ): Promise<boolean> {
    if (!report.conversationKey) return false;
    const conversation = await findConversationReach(run.tx, report.conversationKey);
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
      {
        owner: push.conversationKey,
        sealed: Buffer.from(
          this.opts.sealer.sealJson(push, sealedAt.reporterPush(push.conversationKey)),
        ).toString("base64"),
      },
      new Date(run.now.getTime() + PUSH_BACKSTOP_MS),
    );
    return true;
  }

  /** Sends pushes after the commit; a failure is logged, and the job or the next status check covers it. */
  async deliver(pushes: ReporterPush[]): Promise<void> {
    for (const p of pushes) {
      try {
        await this.opts.engine()?.handle(toEvent(p));
      } catch (error) {
        // The update stays visible at the reporter's next status check.
        this.opts.log.error(
          { conversation: p.conversationKey, err: (error as Error).message },
          "case update push failed",
        );
      }
    }
  }

  /** Runs a durable push job (see {@link REPORTER_PUSH_QUEUE}); a push already made is a no-op. */
  async runJob(data: unknown): Promise<void> {
    const { owner, sealed } = (data ?? {}) as { owner?: unknown; sealed?: unknown };
    if (typeof sealed !== "string" || typeof owner !== "string") return;
    const push = this.opts.sealer.openJson<ReporterPush>(
      Buffer.from(sealed, "base64"),
      sealedAt.reporterPush(owner),
    );
    const engine = this.opts.engine();
    if (!engine) throw new Error("officer service not started");
    // A failure throws, so pg-boss retries the job.
    await engine.handle(toEvent(push));
  }
}

function toEvent(push: ReporterPush): Inbound {
  return {
    conversationKey: push.conversationKey,
    channel: push.channel,
    externalId: push.externalId,
    event: { type: "case.update", code: push.code, text: push.text },
  };
}
