import { inbound } from "./inbound.ts";
import type { FlowEvent } from "./message.ts";
import { plain } from "./migration-words.ts";

/** Answers to a check-in question, tapped (`checkin.ask:<answer>`) or typed. */
export type CheckinAnswer = "ok" | "help" | "danger";

/** The step-independent prefix of the check-in question's options. */
export const ASK = "checkin.ask";

const TYPED: [RegExp, CheckinAnswer][] = [
  [/^(bahaya|danger|darurat|sos|emergency|dalam bahaya|i am in danger|saya dalam bahaya)$/, "danger"],
  [
    /^(tolong|butuh bantuan|perlu bantuan|minta tolong|bantu|bantu saya|help|need help|i need help|tolong saya)$/,
    "help",
  ],
  [
    /^(aman|aman kok|saya aman|aman aja|aman saja|gpp|gapapa|ga apa apa|nggak apa apa|tidak apa apa|baik|baik baik saja|sehat|ok|oke|okay|i am ok|im ok|i'm ok|fine|safe|i am safe)$/,
    "ok",
  ],
];

/** The check-in answer `event` gives; typed words count only while a check-in waits for one. */
export function checkinAnswer(event: FlowEvent, awaiting: boolean): CheckinAnswer | undefined {
  const m = inbound(event);
  if (m?.type === "choice" && m.id.startsWith(`${ASK}:`)) {
    const value = m.id.slice(ASK.length + 1);
    return value === "ok" || value === "help" || value === "danger" ? value : undefined;
  }
  if (m?.type !== "text" || !awaiting) return undefined;
  const said = normalizePhrase(m.text);
  return TYPED.find(([re]) => re.test(said))?.[1];
}

/** A safe phrase as it is compared: plain lower case, punctuation and extra spaces gone. */
export function normalizePhrase(text: string): string {
  return plain(text)
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What a safe phrase is kept and compared as (only its keyed hash is stored): letters and digits
 * alone, so "cuaca di sini, panas!" and "Cuaca disini panas" are the same sentence.
 */
export function safePhraseKey(text: string): string {
  return normalizePhrase(text).replace(/[\s']+/g, "");
}

/**
 * A family code as typed, alone or in a sentence ("adik sy kasih kode KLG-7K3M-9QX2"): `KLG-XXXX-XXXX`,
 * tolerant of case, spaces and dashes; undefined otherwise.
 */
export function familyCodeIn(text: string): string | undefined {
  const s = text.toUpperCase().replace(/[\s._\-–—]/g, "");
  const m = /^(?:KLG)([23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8})$/.exec(s) ?? IN_SENTENCE.exec(text.toUpperCase());
  if (!m) return undefined;
  const body = m.slice(1).join("");
  return `KLG-${body.slice(0, 4)}-${body.slice(4)}`;
}

const IN_SENTENCE = /\bKLG[\s._\-–—]*([2-9A-HJKMNP-Z]{4})[\s._\-–—]?([2-9A-HJKMNP-Z]{4})\b/;
