import { officerReplies as say } from "../officer-replies.ts";
import { type CommandOf, onCase } from "./command.ts";

/**
 * `/tanya KODE pertanyaan` relays the question to the reporter; the "Tanya pelapor" button instead
 * asks for the question, and the officer's next message in this chat is relayed.
 */
export const ask = onCase<CommandOf<"ask">>(async (run, command, report, deps) => {
  if (command.question === undefined) {
    deps.relay.awaitQuestion(run.chatKey, report.code);
    return run.reply(say.askPrompt(report.code));
  }
  await deps.relay.ask(run, report.code, command.question);
});
