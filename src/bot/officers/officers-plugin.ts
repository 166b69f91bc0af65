import type { PluginContext, ServicePlugin } from "../service.ts";
import type { Contacts } from "./contacts.ts";
import { ESCALATION_QUEUE, Escalation, type EscalationJob } from "./escalation.ts";
import { DIGEST_QUEUE, sendDigests } from "./officer-digest.ts";
import { OfficerDirectory } from "./officer-directory.ts";
import { OfficerService } from "./officer-service.ts";
import { REPORTER_PUSH_QUEUE } from "./reporter-push.ts";
import { dailyCronUtc } from "./zoned-time.ts";

export interface OfficersPluginOptions {
  contacts: Contacts;
  now?: () => Date;
}

/**
 * The officers module as a service plugin: escalation of critical and high reports (hook in the
 * reporter's transaction, durable `escalation-step` jobs), the daily digest of normal cases, the
 * officer gateway the channels call first, and the relay of reporters' answers to officers.
 */
export function officersPlugin(options: OfficersPluginOptions): (ctx: PluginContext) => ServicePlugin {
  return (ctx) => {
    const directory = new OfficerDirectory(options.contacts, ctx.keys, ctx.sealer);
    const escalation = new Escalation({
      db: ctx.db,
      directory,
      sealer: ctx.sealer,
      jobs: ctx.jobs,
      log: ctx.log,
      limits: ctx.limits,
      ...(options.now ? { now: options.now } : {}),
    });
    const officers = new OfficerService({
      db: ctx.db,
      directory,
      escalation,
      sealer: ctx.sealer,
      log: ctx.log,
      jobs: ctx.jobs,
      ...(options.now ? { now: options.now } : {}),
    });
    return {
      hooks: {
        onReportStored: (tx, stored) => escalation.onReportStored(tx, stored),
        onCaseAppended: (tx, event) => officers.hooks.onCaseAppended!(tx, event),
      },
      gateway: officers,
      async start(svc) {
        officers.attach(svc);
        // The queue exists before any report can be stored: channels start after plugins.
        await ctx.jobs.ensureQueue(ESCALATION_QUEUE);
        await ctx.jobs.work(ESCALATION_QUEUE, async (data) => {
          if (await escalation.runStep(data as EscalationJob)) svc.dispatcher.kick();
        });
        await ctx.jobs.ensureQueue(REPORTER_PUSH_QUEUE);
        await ctx.jobs.work(REPORTER_PUSH_QUEUE, (data) => officers.runPushJob(data));
        await ctx.jobs.work(DIGEST_QUEUE, async () => {
          if ((await sendDigests(ctx.db, directory, options.now?.() ?? new Date())) > 0)
            svc.dispatcher.kick();
        });
        await ctx.jobs.cron(
          DIGEST_QUEUE,
          dailyCronUtc(options.contacts.digest_at, options.contacts.timezone),
        );
      },
    };
  };
}
