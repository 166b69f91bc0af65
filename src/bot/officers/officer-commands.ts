import { z } from "zod";
import { normalizeReportCode } from "./report-code.ts";

/**
 * Parses what an officer sent: a Telegram-style command (`/kasus`, `/klaim KODE`, …, with an
 * optional `@botname` suffix) or a button id from a case summary (`off:ack:KODE`, …).
 *
 * Returns `undefined` when the text is not an officer command at all (the engine then treats it
 * as ordinary text), and `{ type: "usage", command }` when it is one but malformed, so the bot can
 * answer with that command's usage. Whether the sender is an officer is the caller's check.
 */
export function parseOfficerCommand(input: string): OfficerCommand | undefined {
  const text = input.trim();
  if (text.startsWith(BUTTON_PREFIX)) return parseButton(text);
  const m = /^\/([a-z_]+)(?:@[a-z0-9_]+)?(?:\s+([\s\S]*))?$/i.exec(text);
  if (!m) return undefined;
  const command = ALIASES[(m[1] as string).toLowerCase()];
  if (!command) return undefined;
  const rest = (m[2] ?? "").trim();
  const usage = { type: "usage", command } as const;
  switch (command) {
    case "list": {
      if (!rest) return { type: "list" };
      const parsed = takeCode(rest);
      return parsed && !parsed.rest ? { type: "detail", code: parsed.code } : usage;
    }
    case "claim":
    case "ack": {
      const parsed = takeCode(rest);
      return parsed && !parsed.rest ? { type: command, code: parsed.code } : usage;
    }
    case "note": {
      const parsed = takeCode(rest);
      return parsed?.rest ? { type: "note", code: parsed.code, note: parsed.rest } : usage;
    }
    case "ask": {
      const parsed = takeCode(rest);
      if (!parsed?.rest || parsed.rest.length > MAX_QUESTION) return usage;
      return { type: "ask", code: parsed.code, question: parsed.rest };
    }
    case "status": {
      const parsed = takeCode(rest);
      const [word, outcomeWord, ...extra] = parsed?.rest.split(/\s+/) ?? [];
      const status = word ? STATUS_WORDS[word.toLowerCase()] : undefined;
      if (!parsed || !status || extra.length > 0) return usage;
      if (outcomeWord === undefined) return { type: "status", code: parsed.code, status };
      const outcome = asOutcome(outcomeWord);
      if (!outcome || status !== "closed") return usage;
      return { type: "status", code: parsed.code, status, outcome };
    }
    case "register":
      return /^[A-Za-z0-9-]{6,64}$/.test(rest) ? { type: "register", invite: rest } : usage;
  }
}

/** Case statuses, as the reporter's status check shows them. */
export const CASE_STATUSES = ["received", "in_progress", "referred", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * How a closed case ended. A fixed list (not free text) so the reporter's message cannot carry
 * names by accident and the task force's statistics can count it; details go in a note.
 */
export const OUTCOMES = [
  "victim_assisted",
  "investigation",
  "departure_prevented",
  "referred_elsewhere",
  "insufficient_info",
  "no_trafficking",
  "duplicate",
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const outcomeSchema = z.enum(OUTCOMES);

export type OfficerCommand =
  | { type: "list" }
  | { type: "detail"; code: string }
  | { type: "claim"; code: string }
  | { type: "ack"; code: string }
  | { type: "note"; code: string; note: string }
  /** `question` is absent when the officer pressed the button; the bot then asks for the text. */
  | { type: "ask"; code: string; question?: string }
  | { type: "status"; code: string; status: CaseStatus; outcome?: Outcome }
  /** The close button; `outcome` is absent until the officer picks one. */
  | { type: "close"; code: string; outcome?: Outcome }
  | { type: "register"; invite: string }
  | { type: "usage"; command: OfficerCommandName };

export type OfficerCommandName = "list" | "claim" | "ack" | "note" | "ask" | "status" | "register";

/** Button ids (≤ 64 bytes, Telegram's callback_data limit) for a case summary's actions. */
export function officerButtonId(
  action: "ack" | "claim" | "ask" | "close",
  code: string,
  outcome?: Outcome,
): string {
  return `${BUTTON_PREFIX}${action}:${code}${outcome ? `:${outcome}` : ""}`;
}

/** Longest question relayed to a reporter, so the relay message stays short and readable. */
export const MAX_QUESTION = 1000;

const BUTTON_PREFIX = "off:";

const ALIASES: Record<string, OfficerCommandName> = {
  kasus: "list",
  cases: "list",
  klaim: "claim",
  claim: "claim",
  ack: "ack",
  terima: "ack",
  catat: "note",
  note: "note",
  tanya: "ask",
  ask: "ask",
  status: "status",
  daftar: "register",
  register: "register",
};

const STATUS_WORDS: Record<string, CaseStatus> = {
  received: "received",
  diterima: "received",
  in_progress: "in_progress",
  diproses: "in_progress",
  referred: "referred",
  dirujuk: "referred",
  closed: "closed",
  ditutup: "closed",
};

function parseButton(text: string): OfficerCommand | undefined {
  const [, action, code, outcomeWord, ...extra] = text.split(":");
  const canonical = code && extra.length === 0 ? normalizeReportCode(code) : undefined;
  if (!canonical) return undefined;
  if (outcomeWord !== undefined && action !== "close") return undefined;
  switch (action) {
    case "ack":
    case "claim":
      return { type: action, code: canonical };
    case "ask":
      return { type: "ask", code: canonical };
    case "close": {
      if (outcomeWord === undefined) return { type: "close", code: canonical };
      const outcome = asOutcome(outcomeWord);
      return outcome ? { type: "close", code: canonical, outcome } : undefined;
    }
    default:
      return undefined;
  }
}

/** A report code at the start of `text` (it may be typed with spaces) and the rest of the text. */
function takeCode(text: string): { code: string; rest: string } | undefined {
  const tokens = text.split(/\s+/).filter(Boolean);
  for (let n = 1; n <= Math.min(3, tokens.length); n++) {
    const code = normalizeReportCode(tokens.slice(0, n).join(""));
    if (code) {
      // Keep the officer's own line breaks in the rest.
      let rest = text;
      for (const token of tokens.slice(0, n)) rest = rest.slice(rest.indexOf(token) + token.length);
      return { code, rest: rest.trim() };
    }
  }
  return undefined;
}

function asOutcome(word: string): Outcome | undefined {
  const parsed = outcomeSchema.safeParse(word.toLowerCase());
  return parsed.success ? parsed.data : undefined;
}
