import type { Sealer } from "../../../storage/crypto.ts";
import { findVisibleCase } from "../case-scope.ts";
import type { Escalation } from "../escalation.ts";
import type { OfficerCommand } from "../officer-commands.ts";
import type { OfficerDirectory } from "../officer-directory.ts";
import { officerReplies as say } from "../officer-replies.ts";
import type { FoundCase, OfficerRun } from "../officer-run.ts";
import type { Relay } from "../relay.ts";
import type { ReporterPushes } from "../reporter-push.ts";

/** What the command handlers use besides the run itself (long-lived, shared by all runs). */
export interface CommandDeps {
  directory: OfficerDirectory;
  escalation: Escalation;
  sealer: Sealer;
  relay: Relay;
  pushes: ReporterPushes;
}

/** The parsed command of one type, e.g. `CommandOf<"ack">`. */
export type CommandOf<T extends OfficerCommand["type"]> = Extract<OfficerCommand, { type: T }>;

/** Runs one officer command inside the officer's transaction; answers through `run.reply`. */
export type CommandHandler<C extends OfficerCommand> = (
  run: OfficerRun,
  command: C,
  deps: CommandDeps,
) => Promise<void>;

/**
 * A handler for a command on one case: the case is looked up and locked first. An unknown code,
 * and a case outside the officer's scope (audited as `case.denied`), get the same "unknown case"
 * reply without reaching the handler.
 */
export function onCase<C extends OfficerCommand & { code: string }>(
  handler: (run: OfficerRun, command: C, report: FoundCase, deps: CommandDeps) => Promise<void>,
): CommandHandler<C> {
  return async (run, command, deps) => {
    const report = await findVisibleCase(run, deps.directory.contacts, command.code, command.type);
    if (!report) return run.reply(say.unknownCase(command.code));
    return handler(run, command, report, deps);
  };
}
