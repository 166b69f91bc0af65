import { officerReplies as say } from "../officer-replies.ts";
import type { CommandHandler, CommandOf } from "./command.ts";

/** A known command with malformed arguments: answers with that command's usage. */
export const usage: CommandHandler<CommandOf<"usage">> = async (run, command) => {
  run.reply(say.usage(command.command));
};
