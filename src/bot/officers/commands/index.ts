import type { OfficerCommand } from "../officer-commands.ts";
import type { OfficerRun } from "../officer-run.ts";
import { ack } from "./ack.ts";
import { ask } from "./ask.ts";
import { claim } from "./claim.ts";
import { close } from "./close.ts";
import type { CommandDeps, CommandHandler, CommandOf } from "./command.ts";
import { detail } from "./detail.ts";
import { list } from "./list.ts";
import { note } from "./note.ts";
import { register } from "./register.ts";
import { status } from "./status.ts";
import { usage } from "./usage.ts";

export type { CommandDeps } from "./command.ts";

/** Every officer command's handler, by the `type` that `parseOfficerCommand` returns. */
export const officerCommands: { [T in OfficerCommand["type"]]: CommandHandler<CommandOf<T>> } = {
  usage,
  list,
  detail,
  register,
  ack,
  claim,
  note,
  ask,
  close,
  status,
};

/** Runs a parsed officer command with its handler from {@link officerCommands}. */
export function runOfficerCommand(
  run: OfficerRun,
  command: OfficerCommand,
  deps: CommandDeps,
): Promise<void> {
  // TypeScript cannot tie `command.type` to the matching entry's parameter type; the table's type does.
  const handler = officerCommands[command.type] as CommandHandler<OfficerCommand>;
  return handler(run, command, deps);
}
