import { closePrompt } from "../case-summary.ts";
import { type CommandOf, onCase } from "./command.ts";
import { changeStatus } from "./status.ts";

/** The close button: asks for the outcome, then closes the case with it. */
export const close = onCase<CommandOf<"close">>(async (run, command, report, deps) => {
  if (!command.outcome) return run.reply(closePrompt(report.code));
  await changeStatus(run, report, deps, "closed", command.outcome);
});
