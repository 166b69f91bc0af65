import { type Command, FILE_NOT_ASKED, type FlowEvent, type InboundMessage } from "./message.ts";

/** Helpers that read a user's inbound message the same way in every step. */

const MENU_WORDS = new Set(["menu", "batal", "cancel"]);
const LANGUAGE_WORDS = new Set(["bahasa", "language"]);

/** The inbound message of a `user.message` event, or undefined for engine events. */
export function inbound(event: FlowEvent): InboundMessage | undefined {
  return event.type === "user.message" ? event.message : undefined;
}

export function commandOf(event: FlowEvent): Command | undefined {
  const m = inbound(event);
  return m?.type === "command" ? m.command : undefined;
}

function keyword(event: FlowEvent): string | undefined {
  const m = inbound(event);
  return m?.type === "text" ? m.text.trim().toLowerCase() : undefined;
}

/** `/start`, `/menu`, `/cancel`, or the words menu / batal / cancel on their own. */
export function wantsMenu(event: FlowEvent): boolean {
  const c = commandOf(event);
  if (c === "start" || c === "menu" || c === "cancel") return true;
  const k = keyword(event);
  return k !== undefined && MENU_WORDS.has(k);
}

/** `/language`, or the words bahasa / language on their own. */
export function wantsLanguage(event: FlowEvent): boolean {
  if (commandOf(event) === "language") return true;
  const k = keyword(event);
  return k !== undefined && LANGUAGE_WORDS.has(k);
}

/** Trimmed free text that is not a global keyword, or undefined. */
export function freeText(event: FlowEvent): string | undefined {
  const m = inbound(event);
  if (m?.type !== "text") return undefined;
  const text = m.text.trim();
  if (text.length === 0 || wantsMenu(event) || wantsLanguage(event)) return undefined;
  return text;
}

/** A photo or document sent where no step asks for one (the inbound path did not download it). */
export function fileNotAsked(event: FlowEvent): boolean {
  const m = inbound(event);
  return m?.type === "unsupported" && m.kind === FILE_NOT_ASKED;
}
