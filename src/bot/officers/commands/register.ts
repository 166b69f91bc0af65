import { registerOfficer } from "../officer-invites.ts";
import type { CommandHandler, CommandOf } from "./command.ts";

/** `/daftar KODE` from someone already recognised as an officer (e.g. moving to a new chat). */
export const register: CommandHandler<CommandOf<"register">> = async (run, command, deps) => {
  await registerOfficer(run.tx, deps, {
    inbound: run.inbound,
    invite: command.invite,
    now: run.now,
    reply: run.reply,
  });
};
