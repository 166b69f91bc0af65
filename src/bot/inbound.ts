import type { Logger } from "pino";
import { ACCEPTS_FILES, FILE_NOT_ASKED, type FlowEvent, type InboundMessage } from "../flows/message.ts";
import { has, understand } from "../flows/understand/understand.ts";
import { pseudonym, type Sealer } from "../storage/crypto.ts";
import type { Database } from "../storage/database.ts";
import type { Keys } from "../storage/keys.ts";
import { receiptSeen } from "../storage/receipts.ts";
import type { SenderLimits } from "../storage/sender-limits.ts";
import type { Engine, HandleOutcome } from "./engine.ts";
import { EVIDENCE_MAX_BYTES, storeEvidence } from "./evidence.ts";
import type { Metrics } from "./metrics.ts";
import type { OfficerAddress, OfficerGateway, OfficerRouting } from "./officers/officer-gateway.ts";

/*
 * The one inbound path. A channel translates its wire format into a sender and a candidate and calls
 * `receive`; everything else happens here, the same for every channel.
 */

/** The channel a message came in on. */
export interface InboundChannel {
  name: string;
  /** Delivery ids are unique per chat only (e.g. Telegram's `u:<update_id>`): receipts then use `<key>:<id>`. */
  perConversationIds?: boolean;
}

/** Who wrote. Nothing here is stored except the sealed `address`. */
export interface InboundSender {
  /** The platform's id of the chat (chat id, phone number, web session id); becomes the pseudonym here. */
  id: string;
  /** Where replies go (the channel sender's shape); the engine stores it only sealed. */
  address: unknown;
  /** How officers are recognised and reached on this chat; absent on channels officers do not use. */
  officer?: { address: OfficerAddress; senderId: string };
  /** A group chat: only officers are served there. */
  isGroup?: boolean;
}

/** A downloaded file, or why there is none (the flow explains it as `unsupported`). */
export type FetchedMedia =
  | { ok: true; bytes: Uint8Array; mime?: string | undefined }
  | { ok: false; reason: string };

/** What came in, in the channel-neutral model. */
export interface Candidate {
  /** Delivery id for de-duplication (update id, wamid, client message id). */
  externalId?: string;
  /** The message for the flow; absent for group messages and media. */
  message?: InboundMessage;
  /**
   * A photo or document: downloaded (at most `limit` bytes) and stored as evidence in the conversation's
   * turn, and only when its current step asks for a file.
   */
  media?: (limit: number) => Promise<FetchedMedia>;
  /** The person came back to an open conversation: the flow repeats its current step. */
  resume?: boolean;
  /** The typed text as sent, unparsed, so officer commands keep their arguments. */
  text?: string;
  /** A pressed button's id, for officer buttons. */
  buttonId?: string;
  /** The channel's id of the person's own message (see `Inbound.messageRef`). */
  messageRef?: string;
}

export type ReceiveOutcome = HandleOutcome | "officer" | "ignored";

export interface InboundDeps {
  engine: Engine;
  db: Database;
  sealer: Sealer;
  keys: Keys;
  log: Logger;
  metrics: Metrics;
  officers: OfficerGateway;
  /** Per-sender limits; none in tests that do not need them. */
  limits?: SenderLimits | undefined;
  /** Messages a sender may send a minute (counted by the engine); unlimited when absent. */
  messagesPerMinute?: number | undefined;
}

export class Inbound {
  constructor(private readonly deps: InboundDeps) {}

  /** The pseudonymous conversation key of a chat on a channel. */
  keyOf(channel: string, senderId: string): string {
    return pseudonym(this.deps.keys.pseudonymKey, channel, senderId);
  }

  /** Runs `task` in the conversation's turn, after what is already queued for it (e.g. forgetting it). */
  inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.deps.engine.inTurn(key, () => task());
  }

  /**
   * Handles one message: pseudonym, officer routing, the duplicate check, evidence intake and the
   * engine, all in the conversation's one turn (the engine's per-conversation queue), so a download
   * never overtakes or trails the messages around it and timers keep their place. Resolves once the
   * engine committed (replies leave later through the outbox); throws when it failed, so a webhook
   * can ask for redelivery. Logs carry the pseudonymous key only.
   */
  async receive(
    channel: InboundChannel,
    sender: InboundSender,
    candidate: Candidate,
  ): Promise<ReceiveOutcome> {
    const key = this.keyOf(channel.name, sender.id);
    try {
      const outcome = await this.deps.engine.inTurn(key, (apply) =>
        this.process(channel, sender, candidate, key, apply),
      );
      this.deps.log.debug({ conversation: key, channel: channel.name, outcome }, "inbound handled");
      return outcome;
    } catch (error) {
      this.deps.log.error(
        {
          conversation: key,
          channel: channel.name,
          err: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
        },
        "inbound message failed",
      );
      throw error;
    }
  }

  private async process(
    channel: InboundChannel,
    sender: InboundSender,
    candidate: Candidate,
    key: string,
    apply: (inbound: Parameters<Engine["handle"]>[0]) => Promise<HandleOutcome>,
  ): Promise<ReceiveOutcome> {
    const { metrics } = this.deps;
    const routing = await this.route(sender, candidate);
    if (routing === "handled" || routing === "ignore" || sender.isGroup) {
      metrics.inbound.inc({ channel: channel.name, outcome: routing === "handled" ? "officer" : "ignored" });
      return routing === "handled" ? "officer" : "ignored";
    }
    const id = candidate.externalId;
    const externalId = id !== undefined && channel.perConversationIds ? `${key}:${id}` : id;
    // The engine de-duplicates every delivery and counts it against the sender's message limit in
    // the statement that locks the conversation: a redelivery (a webhook retried after a 500 or a
    // restart) is never counted. A file is looked at first, so a redelivered one is not downloaded
    // again and none is downloaded past the limit.
    const limit = this.limitFor(candidate);
    let event: FlowEvent;
    if (routing === "user_menu") event = userMessage({ type: "command", command: "menu" });
    else if (candidate.resume) event = { type: "session.resumed" };
    else if (candidate.media) {
      if (await this.seen(channel.name, externalId)) return "duplicate";
      const look = await this.deps.engine.look(key);
      // At the limit the file is not fetched; the message still goes to the engine as the person's
      // (so it is counted), which answers it with the calm reply or drops it.
      const atLimit = limit !== undefined && look.counted >= limit.perMinute;
      const media = atLimit
        ? ({ type: "unsupported", kind: FILE_NOT_ASKED } as const)
        : await this.intake(channel.name, key, candidate.media, look.has(ACCEPTS_FILES));
      event = media === "limited" ? { type: "sender.limited" } : userMessage(media);
    } else if (candidate.message) event = userMessage(candidate.message);
    else return "ignored";
    return apply({
      conversationKey: key,
      channel: channel.name,
      address: sender.address,
      ...(externalId !== undefined ? { externalId } : {}),
      event,
      ...(limit ? { limit } : {}),
      ...(candidate.messageRef ? { messageRef: candidate.messageRef } : {}),
    });
  }

  /** Whether the delivery was applied before (a redelivery), counted as a duplicate when it was. */
  private async seen(channel: string, externalId: string | undefined): Promise<boolean> {
    if (externalId === undefined || !(await receiptSeen(this.deps.db, channel, externalId))) return false;
    this.deps.metrics.inbound.inc({ channel, outcome: "duplicate" });
    return true;
  }

  /**
   * The sender's messages-a-minute limit for this message (the engine counts it). Past it, the first
   * message gets the calm `sender.limited` answer and later ones are dropped, except a typed cry for
   * help, which always reaches the flow (and so the emergency numbers). A person coming back to an
   * open conversation is not counted.
   */
  private limitFor(candidate: Candidate): Parameters<Engine["handle"]>[0]["limit"] {
    const perMinute = this.deps.messagesPerMinute;
    if (perMinute === undefined || candidate.resume) return undefined;
    const typed = candidate.message?.type === "text" ? candidate.message.text : undefined;
    return { perMinute, exempt: () => typed !== undefined && has(understand(typed), "danger_now") };
  }

  private route(sender: InboundSender, candidate: Candidate): Promise<OfficerRouting> | OfficerRouting {
    if (!sender.officer) return sender.isGroup ? "ignore" : "user";
    return this.deps.officers.route({
      address: sender.officer.address,
      senderId: sender.officer.senderId,
      externalId: candidate.externalId ?? "",
      isGroup: sender.isGroup === true,
      ...(candidate.text !== undefined ? { text: candidate.text } : {}),
      ...(candidate.buttonId !== undefined ? { buttonId: candidate.buttonId } : {}),
    });
  }

  /**
   * Downloads a photo or document through the channel and stores it as evidence (re-encoded, sealed);
   * the flow gets the evidence id. Only a step that asks for a file (`asked`: tagged `ACCEPTS_FILES`)
   * gets one: anywhere else nothing is downloaded, stored or counted, and the flow says where files can
   * be sent.
   * A refused or failed file becomes `unsupported` so the flow can explain. A caption is not kept:
   * evidence texts belong in the report's own questions.
   */
  private async intake(
    channel: string,
    key: string,
    fetch: NonNullable<Candidate["media"]>,
    asked: boolean,
  ): Promise<InboundMessage | "limited"> {
    const { db, sealer, log, limits } = this.deps;
    if (!asked) {
      log.info({ conversation: key, channel }, "file not asked for; not downloaded");
      return { type: "unsupported", kind: FILE_NOT_ASKED };
    }
    const file = await fetch(EVIDENCE_MAX_BYTES);
    if (!file.ok) {
      log.info({ conversation: key, channel, reason: file.reason }, "media not downloaded");
      return { type: "unsupported", kind: file.reason };
    }
    if (limits && (await limits.take("uploads", key, Math.max(1, file.bytes.byteLength))) !== "ok") {
      log.warn({ conversation: key, channel }, "sender over the upload limit; file not stored");
      return "limited";
    }
    const stored = await storeEvidence(db, sealer, key, { bytes: file.bytes, mime: file.mime });
    if (!stored.ok) {
      log.info({ conversation: key, channel, reason: stored.reason }, "media refused as evidence");
      return { type: "unsupported", kind: stored.reason };
    }
    return { type: "media", kind: stored.kind, ref: stored.id, mime: stored.mime, size: stored.size };
  }
}

function userMessage(message: InboundMessage): FlowEvent {
  return { type: "user.message", message };
}
