import type { Logger } from "pino";
import { z } from "zod";
import { choicesOf, type OutboundMessage } from "../../../flows/message.ts";
import { findDeliveryWindow } from "../../../storage/conversation-contact.ts";
import type { Sealer } from "../../../storage/crypto.ts";
import type { Database } from "../../../storage/database.ts";
import { countHeld } from "../../../storage/outbox-status.ts";
import { type ChannelSender, SendError } from "../../dispatcher.ts";
import { EVIDENCE_GONE_TEXT, evidenceFileName, readEvidence } from "../../evidence.ts";
import { WA_LIMITS, type WhatsAppSend } from "./send-schema.ts";
import { toWhatsApp } from "./to-whatsapp.ts";
import { WhatsAppApiError } from "./whatsapp-api-error.ts";
import type { WhatsAppClient } from "./whatsapp-client.ts";
import { templateLanguage, whatsAppWords } from "./whatsapp-words.ts";

/** Free-form messages may go out this long after the user's last message (24 h, minus a safety minute). */
export const WINDOW_MS = 24 * 3_600_000 - 60_000;

/** The outbox address of a WhatsApp recipient (sealed in the outbox; `channel` is tolerated for officers). */
export const whatsAppAddressSchema = z.object({ waId: z.string().regex(/^\d{5,20}$/) });

export interface WhatsAppSenderOptions {
  client: WhatsAppClient;
  db: Database;
  /** Opens stored evidence for `file` messages. */
  sealer: Sealer;
  log: Logger;
  /** Approved template for follow-ups outside the 24-hour window (`WHATSAPP_TEMPLATE_FOLLOWUP`). */
  followupTemplate?: string | undefined;
  /** Approved template for a check-in question outside the window (`WHATSAPP_TEMPLATE_CHECKIN`). */
  checkinTemplate?: string | undefined;
  /** How a sent message's wamid is stored (a keyed hash: wamids encode the phone number). */
  storedId?: (wamid: string) => string;
  now?: () => Date;
}

/**
 * Delivers outbox messages over the Graph API: renders with {@link toWhatsApp} and posts each part in
 * order. Before sending it checks WhatsApp's 24-hour window for the recipient's conversation; when it is
 * closed the message is held (`SendError` "hold") until the reporter writes again, after one neutral
 * follow-up template when one is configured. Graph errors map to the dispatcher's dispositions:
 * 131047 → hold, retryable → retry, any other refusal → fail. A `file` message (evidence id only) is read
 * from storage, uploaded to Graph media and sent by media id as an image (JPEG) or a document; evidence
 * that is gone becomes a short text.
 */
export function createWhatsAppSender(opts: WhatsAppSenderOptions): ChannelSender {
  const now = opts.now ?? (() => new Date());
  return {
    async send(address, message, meta) {
      const to = whatsAppAddressSchema.safeParse(address);
      if (!to.success) throw new SendError("not a WhatsApp address", "fail");
      const waId = to.data.waId;
      const conversation = await findDeliveryWindow(opts.db, meta.targetKey);
      if (windowClosed(conversation, now())) {
        // A check-in question goes out as its own template; the message waits for the answer.
        const template = meta.purpose === "checkin" && opts.checkinTemplate;
        await sendFollowupTemplate(opts, waId, meta.targetKey, conversation?.lang, template || undefined);
        throw new SendError("WhatsApp 24-hour window closed", "hold");
      }
      let firstId: string | undefined;
      try {
        const sends =
          message.type === "file"
            ? [await fileSend(opts, message)]
            : toWhatsApp(message, whatsAppWords(conversation?.lang)).sends;
        for (const body of sends) {
          const { messageId } = await opts.client.send(waId, body);
          firstId ??= messageId;
        }
      } catch (error) {
        const disposition = classify(error);
        if (disposition instanceof SendError && disposition.disposition === "hold") {
          await sendFollowupTemplate(opts, waId, meta.targetKey, conversation?.lang);
        }
        throw disposition;
      }
      return firstId ? { externalId: opts.storedId ? opts.storedId(firstId) : firstId } : undefined;
    },
  };
}

/** Reads the evidence of a `file` message and uploads it; the send that shows it (or a text when it is gone). */
async function fileSend(
  opts: WhatsAppSenderOptions,
  message: Extract<OutboundMessage, { type: "file" }>,
): Promise<WhatsAppSend> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual" } as const;
  const evidence = await readEvidence(opts.db, opts.sealer, message.ref);
  if (!evidence) {
    const body = message.name ? `${message.name}: ${EVIDENCE_GONE_TEXT}` : EVIDENCE_GONE_TEXT;
    return { ...base, type: "text", text: { body } };
  }
  const filename = evidenceFileName(message.name, evidence.mime);
  const { mediaId } = await opts.client.uploadMedia({ bytes: evidence.bytes, mime: evidence.mime, filename });
  const caption = message.caption?.trim() ? { caption: message.caption.slice(0, WA_LIMITS.caption) } : {};
  return evidence.mime === "image/jpeg"
    ? { ...base, type: "image", image: { id: mediaId, ...caption } }
    : { ...base, type: "document", document: { id: mediaId, filename, ...caption } };
}

/**
 * Whether only a template may reach the recipient now. A reporter's conversation decides by its last
 * inbound time, whatever the message's purpose (no inbound time known counts as closed). A target with no
 * conversation row (an officer chat, or a conversation deleted just now) is tried, and Graph decides:
 * 131047 holds the message, here or through the delivery status.
 */
function windowClosed(conversation: { lastInboundAt: Date | null } | undefined, now: Date): boolean {
  if (!conversation) return false;
  const last = conversation.lastInboundAt;
  return !last || now.getTime() - last.getTime() > WINDOW_MS;
}

/**
 * Sends the neutral follow-up template once per waiting period: not again while an earlier message to
 * the same person is still held. A refused template still holds the message (nothing is dropped); a
 * transient failure makes the dispatcher retry the whole send later.
 */
async function sendFollowupTemplate(
  opts: WhatsAppSenderOptions,
  waId: string,
  targetKey: string,
  lang: string | null | undefined,
  template?: string,
): Promise<void> {
  const name = template ?? opts.followupTemplate;
  if (!name) return;
  // Each check-in asks again; other follow-ups go once per waiting period.
  if (!template && (await countHeld(opts.db, targetKey)) > 0) return;
  try {
    await opts.client.sendTemplate(waId, name, templateLanguage(lang));
    opts.log.info({ target: targetKey }, "WhatsApp follow-up template sent");
  } catch (error) {
    if (error instanceof WhatsAppApiError && error.retryable) throw error;
    opts.log.error(
      { target: targetKey, err: error instanceof Error ? error.message : String(error) },
      "WhatsApp follow-up template refused; the message waits for the reporter's check-in",
    );
  }
}

/** Maps a failed Graph call to the dispatcher's disposition. */
function classify(error: unknown): unknown {
  if (!(error instanceof WhatsAppApiError)) return error;
  if (error.windowClosed) return new SendError(error.message, "hold", { cause: error });
  if (error.retryable) return error;
  return new SendError(error.message, "fail", { cause: error });
}

/** Whether the engine should store numbered option ids for `message` (a numbered text menu on WhatsApp). */
export function numbersChoices(message: OutboundMessage): boolean {
  return (choicesOf(message)?.length ?? 0) > WA_LIMITS.listRows;
}
