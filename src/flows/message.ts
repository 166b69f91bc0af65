import { z } from "zod";

/**
 * The channel-neutral message model. Channels translate their payloads into {@link InboundMessage}
 * and render {@link OutboundMessage}; flows never see a channel type.
 */

/** Languages the bot speaks, Indonesian first. */
export const langSchema = z.enum(["id", "en"]);
export type Lang = z.infer<typeof langSchema>;

/** Global commands a user can send from any step (`/start`, `menu`, `batal`, `bahasa`, …). */
export const commandSchema = z.enum([
  "start",
  "menu",
  "language",
  "delete",
  "status",
  "help",
  "cancel",
  "stop",
]);
export type Command = z.infer<typeof commandSchema>;

/** Longest text the engine accepts from a user; channels cut longer input before it reaches a flow. */
export const MAX_INBOUND_TEXT = 4000;

export const inboundMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().max(MAX_INBOUND_TEXT) }),
  /** The user picked an offered option; `id` is the option id the flow sent. */
  z.object({ type: z.literal("choice"), id: z.string().min(1).max(200) }),
  /**
   * A photo or document, already stored by the engine as evidence. `ref` is the stored evidence id;
   * the bytes never pass through a flow.
   */
  z.object({
    type: z.literal("media"),
    kind: z.enum(["photo", "document"]),
    ref: z.string().min(1).max(100),
    mime: z.string().max(100).optional(),
    size: z.number().int().nonnegative().optional(),
  }),
  z.object({
    type: z.literal("location"),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  z.object({ type: z.literal("command"), command: commandSchema }),
  /** Something the bot cannot read (sticker, voice, video, poll, reaction, a file that was too big…). */
  z.object({
    type: z.literal("unsupported"),
    kind: z.string().max(40),
  }),
]);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/**
 * State tag of the steps that ask for a photo or document (a report's evidence, adding to a case).
 * The inbound path downloads and stores a file only while the conversation's state carries it;
 * anywhere else nothing is fetched and the flow gets `{ type: "unsupported", kind: FILE_NOT_ASKED }`.
 */
export const ACCEPTS_FILES = "accepts_files";

/** The `unsupported` kind of a photo or document sent where no step asks for one (not downloaded). */
export const FILE_NOT_ASKED = "file_not_asked";

/** An option offered to the user. Labels are already in the conversation's language. */
export const choiceSchema = z.object({
  id: z.string().min(1).max(200),
  label: z.string().min(1),
  /** Optional longer text where the channel can show one (WhatsApp list rows). */
  description: z.string().optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

export const outboundMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("text"),
    text: z.string().min(1),
    choices: z.array(choiceSchema).optional(),
    /**
     * The text shows a secret (a report's code and PIN). A channel that can delete its own message when
     * the person asks (Telegram) adds a button with `label` that does; the others show nothing extra, so
     * the text itself must still say how to delete it by hand.
     */
    erase: z.object({ label: z.string().min(1) }).optional(),
  }),
  /** Ask the user for a photo/document or a location; channels may show a native picker. */
  z.object({
    type: z.literal("request"),
    kind: z.enum(["media", "location"]),
    text: z.string().min(1),
    choices: z.array(choiceSchema).optional(),
  }),
  /** The conversation ended (e.g. after `/hapus`); channels may remove keyboards. */
  z.object({ type: z.literal("end") }),
  /**
   * A stored evidence file, sent as a photo or document (officers only; flows never emit it). `ref` is the
   * evidence id: the outbox keeps the id, never the bytes, and the sender reads the evidence when it sends.
   * `name` is the file name without extension (e.g. the case code and a number), never the original name.
   */
  z.object({
    type: z.literal("file"),
    ref: z.string().min(1).max(100),
    name: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/)
      .optional(),
    caption: z.string().optional(),
  }),
  /**
   * Withdraws messages the bot sent earlier to this chat (`refs`: the channel's message ids), after
   * `/hapus` (flows never emit it; only channels whose profile says `unsend` get it).
   */
  z.object({ type: z.literal("unsend"), refs: z.array(z.string().min(1)).max(1000) }),
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

/** Events the engine sends into a flow. */
export type FlowEvent =
  /** `front` marks a message the flow has already looked at for danger and raised again for the step. */
  /** `safePhrase`: the text is the person's check-in safe phrase (matched by the engine on its keyed hash). */
  /** `today`: the date in Bali when the message arrived (`YYYY-MM-DD`, set by the engine) for dates typed without a year. */
  | {
      type: "user.message";
      message: InboundMessage;
      front?: boolean;
      safePhrase?: boolean;
      today?: string;
    }
  /** The person came back to an open conversation (the terminal chat restarted): show the current step again. */
  | { type: "session.resumed" }
  /** The flow the conversation is in changed version: go to its start (see src/flows/registry.ts). */
  | { type: "flow.restart"; flow: string }
  /** A named durable timer the flow asked for with a `schedule` output has fired (never a replaced or cancelled one). */
  | { type: "timer.fired"; name: string; token: string }
  /** Results of engine effects (see {@link FlowOutput}), sent back into the flow in the same transaction. */
  /** `passedOn`: officers on duty were alerted at once (false where no officer can be reached, e.g. the terminal). */
  | { type: "report.stored"; code: string; pin: string; passedOn?: boolean }
  | { type: "report.failed" }
  /** The sender filed as many reports today as allowed; this one, not critical, was not filed. */
  | { type: "report.limited" }
  | { type: "status.result"; result: StatusResult }
  | { type: "case.appended"; ok: boolean }
  /** An officer's question or a status change pushed to a reachable reporter. */
  | { type: "case.update"; code: string; text: string }
  /** The sender went past a per-sender limit (messages, uploads): said once, calmly, with the emergency numbers. */
  | { type: "sender.limited" }
  /** Check-ins were stored (`code`: the family code, shown once); `now` is the engine's clock. */
  | { type: "checkin.started"; ok: boolean; code?: string; now: string }
  /** What a linked family member may see of each worker they are linked to (after `checkin.family`). */
  | { type: "checkin.family.info"; ok: boolean; people: FamilyView[] }
  /** The people linked to the worker's check-ins (after `checkin.people`). */
  | { type: "checkin.people.listed"; people: { id: string; channel: string; since: string }[] };

/** What a linked family member learns: only what the worker allowed. */
export type FamilyView = { nickname: string; destination: string; lastOk: string | null; active: boolean };

/** What the person says at a check-in, or what happened to it. */
export type CheckinSignal = "sent" | "ok" | "help" | "danger" | "safe_phrase" | "missed";

/** Departure details a worker gives when opting in to check-ins (sealed by the engine). */
export type CheckinDetails = {
  nickname: string;
  departure: string;
  country: string;
  city: string;
  agency?: string;
  employer?: string;
};

/** Reporter-visible state of a case, returned after a code + PIN check. */
export type StatusResult =
  | { ok: false }
  | {
      ok: true;
      code: string;
      status: "received" | "in_progress" | "referred" | "closed";
      outcome?: string;
      /** Officer questions, oldest first; `answered` once the reporter replied. */
      questions: { id: string; text: string; answered: boolean }[];
    };

/** Everything a flow can ask the engine to do; emitted with XState `emit`. */
export type FlowOutput =
  /** `purpose` "checkin": a check-in question or reminder (WhatsApp sends its template outside the window). */
  | { type: "reply"; message: OutboundMessage; purpose?: "checkin" }
  /**
   * A named durable timer: the engine sends `timer.fired` with this name and token after `delayMs`, or at `at`
   * (an ISO time). Scheduling a name again replaces its timer. Without a token the engine makes one.
   */
  | { type: "schedule"; name: string; delayMs?: number; at?: string; token?: string }
  /** Cancels the named timer, if one is pending. */
  | { type: "timer.cancel"; name: string }
  /** Store a finished report; the engine answers with `report.stored` (code + PIN) or `report.failed`. */
  | { type: "report.submitted"; report: unknown }
  /** Check code + PIN; the engine answers with `status.result`. */
  | { type: "status.lookup"; code: string; pin: string }
  /** Add information, evidence or an answer to an officer question to a case opened by `status.lookup`. */
  | {
      type: "case.append";
      code: string;
      text?: string;
      evidenceRefs?: string[];
      answersQuestionId?: string;
    }
  /** Store check-ins (sealed details, the safe phrase's keyed hash); answered with `checkin.started`. */
  | { type: "checkin.start"; details: CheckinDetails; safePhrase?: string; consent: boolean }
  /**
   * A check-in happened: sent, answered, or missed (`missed`: misses in a row). Help, danger, the safe
   * phrase and misses tell linked family at once and, with consent, open a case; `index` makes each once.
   */
  | { type: "checkin.record"; signal: CheckinSignal; index: number; missed?: number; last?: boolean }
  /** Stops check-ins: the worker's rows go; `forget` also unlinks this conversation as family (`/hapus`). */
  | { type: "checkin.stop"; forget?: boolean }
  /** Links this conversation as family with `code`, or (no code) shows what it is linked to. */
  | { type: "checkin.family"; code?: string }
  /** Lists the people linked to the worker's check-ins, after removing `remove` (a link id). */
  | { type: "checkin.people"; remove?: string }
  /** The user asked to delete the conversation and reply address (`/hapus`). */
  | { type: "conversation.delete" };

/** The text a message shows: its body, a file's caption, nothing for `end` and `unsend`. */
export function textOf(message: OutboundMessage): string | undefined {
  if (message.type === "end" || message.type === "unsend") return undefined;
  return message.type === "file" ? message.caption : message.text;
}

/** The options a message offers (none for `end` and `file`). */
export function choicesOf(message: OutboundMessage): Choice[] | undefined {
  return message.type === "text" || message.type === "request" ? message.choices : undefined;
}
