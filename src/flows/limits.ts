import type { OutboundMessage } from "./message.ts";

/**
 * The tightest outbound limits over all channels (WhatsApp interactive messages are the strictest).
 * Every reply a flow emits must pass {@link validateOutbound}; a property test enforces it.
 */
export const MAX_CHOICES = 10;
export const MAX_LABEL = 20;
export const MAX_DESCRIPTION = 72;
/** Choice ids are ASCII and at most this many bytes. */
export const MAX_CHOICE_ID_BYTES = 64;
/** Body limit of a message that carries choices (buttons or a list). */
export const MAX_BODY_WITH_CHOICES = 1024;
/** Body limit of a plain text message. */
export const MAX_BODY = 4096;
/** Caption limit of a file (photo or document); Telegram's 1024 is the tighter one. */
export const MAX_CAPTION = 1024;

/** Printable ASCII only, so the length in characters is the length in bytes. */
const ASCII_PRINTABLE = /^[\x20-\x7e]+$/;

/** Lists every way `msg` breaks the outbound limits; an empty list means it is safe to send anywhere. */
export function validateOutbound(msg: OutboundMessage): string[] {
  if (msg.type === "end" || msg.type === "unsend") return [];
  if (msg.type === "file") {
    const caption = msg.caption ?? "";
    return caption.length > MAX_CAPTION ? [`caption has ${caption.length} chars, limit ${MAX_CAPTION}`] : [];
  }
  const problems: string[] = [];
  const choices = msg.choices ?? [];
  const bodyLimit = choices.length > 0 ? MAX_BODY_WITH_CHOICES : MAX_BODY;
  if (msg.text.trim().length === 0) problems.push("empty body");
  if (msg.text.length > bodyLimit) problems.push(`body has ${msg.text.length} chars, limit ${bodyLimit}`);
  if (choices.length > MAX_CHOICES) problems.push(`${choices.length} choices, limit ${MAX_CHOICES}`);
  const seen = new Set<string>();
  for (const c of choices) {
    if (c.label.trim().length === 0) problems.push(`choice ${c.id}: empty label`);
    if (c.label.length > MAX_LABEL) problems.push(`choice ${c.id}: label "${c.label}" over ${MAX_LABEL}`);
    if (c.description !== undefined && c.description.length > MAX_DESCRIPTION) {
      problems.push(`choice ${c.id}: description over ${MAX_DESCRIPTION}`);
    }
    if (!ASCII_PRINTABLE.test(c.id)) problems.push(`choice id "${c.id}" is not printable ASCII`);
    if (c.id.length > MAX_CHOICE_ID_BYTES) problems.push(`choice id "${c.id}" too long`);
    if (seen.has(c.id)) problems.push(`choice id "${c.id}" repeated`);
    seen.add(c.id);
  }
  return problems;
}

/** Shortens `text` to at most `max` characters, preferring a word boundary, ending with "…". */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  const base = space >= max * 0.6 ? cut.slice(0, space) : cut;
  return `${base.trimEnd()}…`;
}
