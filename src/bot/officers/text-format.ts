import { cleanForOfficers } from "./clean-text.ts";
import { zonedParts } from "./zoned-time.ts";

/** Small text helpers shared by the officers' message builders. */

/** Telegram's message limit; WhatsApp's text limit is the same. */
export const MAX_MESSAGE = 4096;
/** Longest button label that fits a Telegram button and a WhatsApp reply button. */
export const MAX_LABEL = 20;
/** Telegram's callback_data limit, in bytes. */
export const MAX_CHOICE_ID_BYTES = 64;

/**
 * `text` cut to at most `max` UTF-16 units (the unit Telegram counts) without splitting a
 * surrogate pair, ending with "…" when cut.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** One line of user text: control characters and line breaks become spaces, runs collapse. */
export function oneLine(text: string, max: number): string {
  return clip(
    cleanForOfficers(text)
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
    max,
  );
}

/** Multi-line user text: keeps line breaks, drops other control characters and long blank runs. */
export function block(text: string, max: number): string {
  return clip(
    cleanForOfficers(text)
      .replace(/\r\n?/g, "\n")
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, " ")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    max,
  );
}

/** `2025-04-07 08:00 WITA` (the zone's name when it is not Asia/Makassar). */
export function localDateTime(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const zone = timeZone === "Asia/Makassar" ? "WITA" : timeZone;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${zone}`;
}
