import type { Command } from "../../flows/message.ts";

/**
 * The slash-command words every channel understands (typed as `/word`), Indonesian first, and the command
 * each one means. Telegram, WhatsApp and the console all read this one table; Telegram's command menu
 * shows a few of these words (see `telegram-client.ts`). Plain words without a slash ("menu", "batal")
 * are read by the flows, not here.
 */
export const COMMAND_ALIASES = {
  start: "start",
  mulai: "start",
  menu: "menu",
  bahasa: "language",
  language: "language",
  lang: "language",
  hapus: "delete",
  delete: "delete",
  status: "status",
  help: "help",
  bantuan: "help",
  berhenti: "stop",
  batal: "cancel",
  cancel: "cancel",
} as const satisfies Readonly<Record<string, Command>>;

/** A word of {@link COMMAND_ALIASES}. */
export type CommandWord = keyof typeof COMMAND_ALIASES;

/**
 * The command a slash-command word (without the `/`) means, case-insensitively, or `undefined`.
 * Unlike a plain object lookup, `constructor` and other `Object.prototype` names are not words.
 */
export function commandForWord(word: string): Command | undefined {
  return BY_WORD.get(word.toLowerCase());
}

const BY_WORD: ReadonlyMap<string, Command> = new Map(Object.entries(COMMAND_ALIASES));
