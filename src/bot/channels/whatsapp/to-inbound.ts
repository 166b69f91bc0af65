import {
  type Command,
  type InboundMessage,
  inboundMessageSchema,
  MAX_INBOUND_TEXT,
} from "../../../flows/message.ts";
import { commandForWord } from "../command-aliases.ts";
import {
  type DeliveryStatus,
  deliveryStatusSchema,
  type WebhookMessage,
  type WebhookPayload,
  type WebhookStatus,
} from "./webhook-schema.ts";

/** One thing the engine has to handle from a webhook delivery. */
export type WhatsAppInboundItem =
  | {
      kind: "message";
      /** Sender's WhatsApp id (phone number); turn it into the pseudonymous key at once, never store it. */
      waId: string;
      /** The wamid; deduplicate on it. */
      externalId: string;
      /** Milliseconds since the epoch (WhatsApp sends seconds). */
      timestamp: number;
      message: InboundMessage;
    }
  | {
      kind: "media";
      waId: string;
      externalId: string;
      timestamp: number;
      /** Graph media id; the engine downloads it with the client and stores the evidence. */
      mediaId: string;
      mediaKind: "photo" | "document";
      mime?: string;
      fileName?: string;
      /** Text the user typed under the photo or document, cut to {@link MAX_INBOUND_TEXT}. */
      caption?: string;
    }
  | {
      kind: "status";
      /** The wamid of the message we sent. */
      externalId: string;
      status: DeliveryStatus;
      recipientWaId: string;
      timestamp?: number;
      /** Graph error codes of a failed send, e.g. 131047 when the 24-hour window is closed. */
      errorCodes: number[];
    };

/**
 * Flattens a parsed webhook payload into the items the engine handles, in delivery order.
 * Pure: no I/O, no state. A typed number answering a numbered menu stays text here; the adapter resolves
 * it with {@link resolveNumberedReply} because only it knows which menu was shown.
 */
export function toInbound(payload: WebhookPayload): WhatsAppInboundItem[] {
  const items: WhatsAppInboundItem[] = [];
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      for (const message of change.value.messages ?? []) items.push(messageItem(message));
      for (const status of change.value.statuses ?? []) {
        const item = statusItem(status);
        if (item) items.push(item);
      }
    }
  }
  return items;
}

/**
 * Reads a reply to a numbered text menu: "7", "7." or "7)" picks `offeredIds[6]`. Anything else (or a number
 * out of range) is treated as a normal text message, including slash commands.
 */
export function resolveNumberedReply(text: string, offeredIds: readonly string[]): InboundMessage {
  const match = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(text);
  if (match?.[1]) {
    const id = offeredIds[Number(match[1]) - 1];
    if (id) return { type: "choice", id };
  }
  return textMessage(text);
}

/**
 * Maps a slash command (`/start`, `/bahasa`, `/hapus`, … see `command-aliases.ts`) to its command.
 * Plain words ("menu", "hapus") are left to the flows.
 */
export function parseTextCommand(text: string): Command | undefined {
  const match = /^\s*\/([a-z]+)(?:\s.*)?$/is.exec(text);
  return match?.[1] ? commandForWord(match[1]) : undefined;
}

function messageItem(m: WebhookMessage): WhatsAppInboundItem {
  const base = { waId: m.from, externalId: m.id, timestamp: Number(m.timestamp) * 1000 };
  if (m.type === "image" && m.image) {
    return { kind: "media", ...base, mediaId: m.image.id, mediaKind: "photo", ...mediaExtras(m.image) };
  }
  if (m.type === "document" && m.document) {
    const { filename } = m.document;
    return {
      kind: "media",
      ...base,
      mediaId: m.document.id,
      mediaKind: "document",
      ...mediaExtras(m.document),
      ...(filename ? { fileName: filename.slice(0, 200) } : {}),
    };
  }
  return { kind: "message", ...base, message: toMessage(m) };
}

function toMessage(m: WebhookMessage): InboundMessage {
  switch (m.type) {
    case "text":
      if (m.text) {
        const command = parseTextCommand(m.text.body);
        return command ? { type: "command", command } : textMessage(m.text.body);
      }
      break;
    case "interactive": {
      const id = m.interactive?.button_reply?.id ?? m.interactive?.list_reply?.id;
      if (id !== undefined) return choice(id, "interactive");
      break;
    }
    case "button":
      if (m.button?.payload) return choice(m.button.payload, "button");
      if (m.button?.text) return textMessage(m.button.text);
      break;
    case "location":
      if (m.location) {
        const parsed = inboundMessageSchema.safeParse({ type: "location", ...m.location });
        if (parsed.success) return parsed.data;
      }
      break;
    case "request_welcome":
      return { type: "command", command: "start" };
  }
  return { type: "unsupported", kind: m.type.slice(0, 40) };
}

function statusItem(s: WebhookStatus): WhatsAppInboundItem | undefined {
  const status = deliveryStatusSchema.safeParse(s.status);
  if (!status.success) return undefined;
  return {
    kind: "status",
    externalId: s.id,
    status: status.data,
    recipientWaId: s.recipient_id,
    ...(s.timestamp && /^\d+$/.test(s.timestamp) ? { timestamp: Number(s.timestamp) * 1000 } : {}),
    errorCodes: (s.errors ?? []).map((e) => e.code),
  };
}

function mediaExtras(media: { mime_type?: string; caption?: string }): { mime?: string; caption?: string } {
  return {
    ...(media.mime_type ? { mime: media.mime_type.slice(0, 100) } : {}),
    ...(media.caption ? { caption: media.caption.slice(0, MAX_INBOUND_TEXT) } : {}),
  };
}

function choice(id: string, kind: string): InboundMessage {
  const parsed = inboundMessageSchema.safeParse({ type: "choice", id });
  return parsed.success ? parsed.data : { type: "unsupported", kind };
}

function textMessage(text: string): InboundMessage {
  return { type: "text", text: cutText(text, MAX_INBOUND_TEXT) };
}

/** Cuts to `max` UTF-16 units without leaving half a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
