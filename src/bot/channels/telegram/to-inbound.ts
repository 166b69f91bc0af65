import type { CallbackQuery, Message, Update } from "grammy/types";
import { type InboundMessage, inboundMessageSchema, MAX_INBOUND_TEXT } from "../../../flows/message.ts";
import { commandForWord } from "../command-aliases.ts";
import { decodeCallbackData, ERASE_CALLBACK_DATA } from "./callback-data.ts";
import { SERVICE_FIELDS, UNSUPPORTED_CONTENT } from "./message-fields.ts";

/**
 * Translates one Telegram update into what the engine needs, over plain data and without throwing on any
 * input (webhook bodies are not validated before this). Names, usernames and phone numbers never reach the
 * result. The engine then:
 * - `message`: derives the conversation key from `chatId`, deduplicates on `externalId`, sends `message`;
 *   answers `callback.id` with `answerCallbackQuery` and removes the keyboard of `callback.messageId`.
 *   A choice whose id is still hashed (see `callback-data.ts`) is resolved with `resolveChoiceId`.
 * - `media`: downloads `media.fileId` through `getFile`; the inbound path stores it as evidence and sends
 *   the stored file as a `media` message (or `{ type: "unsupported", kind: "download_failed" }`).
 * - `group`: hands it to the officer module; `callback.id` must still be answered.
 * - `erase`: deletes `messageId` and answers `callbackId` itself; nothing reaches the engine.
 * - `ignore`: does nothing, except answering `callback.id` when present.
 */
export function toInbound(update: Update, opts: ToInboundOptions = {}): TelegramInbound {
  const updateId = typeof update?.update_id === "number" ? update.update_id : -1;
  if (!Number.isSafeInteger(updateId) || updateId < 0)
    return { kind: "ignore", updateId, reason: "malformed" };
  try {
    return translate(update, updateId, opts);
  } catch {
    return { kind: "ignore", updateId, reason: "malformed" };
  }
}

export type ToInboundOptions = {
  /** The bot's username; a command addressed to another bot (`/start@OtherBot`) is then not ours. */
  botUsername?: string;
};

/** An inline button press, to be answered and its keyboard removed. */
export type TelegramCallbackRef = { id: string; messageId?: number };

/** A photo or document to download with `getFile`; the Bot API serves at most 20 MB. */
export type TelegramMedia = {
  fileId: string;
  fileUniqueId: string;
  kind: "photo" | "document";
  mime?: string;
  size?: number;
  fileName?: string;
  /** The caption the user typed with the file, trimmed and cut like a text. */
  caption?: string;
};

export type IgnoreReason =
  | "edited"
  | "channel_post"
  | "my_chat_member"
  | "chat_member"
  | "business"
  | "inline"
  | "reaction"
  | "service"
  | "not_private"
  | "inline_message"
  | "no_callback_data"
  | "from_bot"
  | "unknown_update"
  | "malformed";

export type TelegramInbound =
  | {
      kind: "message";
      updateId: number;
      chatId: number;
      /** Idempotency key, `u:<update_id>`; scope it by conversation when storing. */
      externalId: string;
      message: InboundMessage;
      callback?: TelegramCallbackRef;
    }
  | { kind: "media"; updateId: number; chatId: number; externalId: string; media: TelegramMedia }
  | {
      kind: "group";
      updateId: number;
      chatId: number;
      externalId: string;
      /** Telegram user id of the sender (an officer); never a name. */
      fromId?: number;
      /** Message text or caption, trimmed and cut; absent for other content. */
      text?: string;
      /** A command in the text, lower-cased, without `/` and `@bot`; `args` is the rest of the text. */
      command?: { name: string; args: string };
      /** The message this one replies to, e.g. an officer answering the bot's relayed question. */
      replyToMessageId?: number;
      /** A button press; `data` is the raw `callback_data`. */
      callback?: TelegramCallbackRef & { data?: string };
    }
  /** The button under a code + PIN message was pressed: delete that message (see `erase-message.ts`). */
  | { kind: "erase"; updateId: number; chatId: number; messageId: number; callbackId: string }
  | { kind: "ignore"; updateId: number; reason: IgnoreReason; callback?: TelegramCallbackRef };

/** Longest file the Bot API lets a bot download (`getFile`). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

function translate(update: Update, updateId: number, opts: ToInboundOptions): TelegramInbound {
  const externalId = `u:${updateId}`;
  if (update.message) return fromMessage(update.message, updateId, externalId, opts);
  if (update.callback_query) return fromCallback(update.callback_query, updateId, externalId);
  if (update.edited_message || update.edited_channel_post) return ignore(updateId, "edited");
  if (update.channel_post) return ignore(updateId, "channel_post");
  if (update.my_chat_member) return ignore(updateId, "my_chat_member");
  if (update.chat_member || update.chat_join_request) return ignore(updateId, "chat_member");
  if (update.business_message || update.edited_business_message || update.business_connection) {
    return ignore(updateId, "business");
  }
  if (update.deleted_business_messages) return ignore(updateId, "business");
  if (update.inline_query || update.chosen_inline_result) return ignore(updateId, "inline");
  if (update.message_reaction || update.message_reaction_count) return ignore(updateId, "reaction");
  return ignore(updateId, "unknown_update");
}

function fromMessage(
  m: Message,
  updateId: number,
  externalId: string,
  opts: ToInboundOptions,
): TelegramInbound {
  const chatId = m.chat.id;
  if (typeof chatId !== "number") return ignore(updateId, "malformed");
  if (m.chat.type === "group" || m.chat.type === "supergroup") {
    if (m.from?.is_bot) return ignore(updateId, "from_bot");
    const text = cutText(m.text ?? m.caption);
    const group: TelegramInbound = { kind: "group", updateId, chatId, externalId };
    if (typeof m.from?.id === "number") group.fromId = m.from.id;
    if (typeof m.reply_to_message?.message_id === "number")
      group.replyToMessageId = m.reply_to_message.message_id;
    if (text) {
      group.text = text;
      const command = parseCommand(text, opts);
      if (command?.name) group.command = command;
    }
    return group;
  }
  if (m.chat.type !== "private") return ignore(updateId, "not_private");
  if (m.from?.is_bot) return ignore(updateId, "from_bot");

  const media = mediaOf(m);
  if (media && "fileId" in media) return { kind: "media", updateId, chatId, externalId, media };
  const message = media ?? messageOf(m, opts);
  if (message === "service") return ignore(updateId, "service");
  return { kind: "message", updateId, chatId, externalId, message: valid(message) };
}

function fromCallback(q: CallbackQuery, updateId: number, externalId: string): TelegramInbound {
  const callback: TelegramCallbackRef = { id: String(q.id) };
  const msg = q.message;
  if (!msg) return { kind: "ignore", updateId, reason: "inline_message", callback };
  callback.messageId = msg.message_id;
  const chatId = msg.chat.id;
  if (typeof chatId !== "number") return { kind: "ignore", updateId, reason: "malformed", callback };
  if (msg.chat.type === "group" || msg.chat.type === "supergroup") {
    const data = typeof q.data === "string" ? { data: q.data } : {};
    const group: TelegramInbound = {
      kind: "group",
      updateId,
      chatId,
      externalId,
      callback: { ...callback, ...data },
    };
    if (typeof q.from?.id === "number") group.fromId = q.from.id;
    return group;
  }
  if (msg.chat.type !== "private") return { kind: "ignore", updateId, reason: "not_private", callback };
  if (typeof q.data !== "string" || q.data.length === 0) {
    return { kind: "ignore", updateId, reason: "no_callback_data", callback };
  }
  if (q.data === ERASE_CALLBACK_DATA) {
    if (!Number.isSafeInteger(msg.message_id))
      return { kind: "ignore", updateId, reason: "malformed", callback };
    return { kind: "erase", updateId, chatId, messageId: msg.message_id, callbackId: callback.id };
  }
  const message = valid({ type: "choice", id: decodeCallbackData(q.data) });
  return { kind: "message", updateId, chatId, externalId, message, callback };
}

/** A downloadable file, an `unsupported` message for one that is too big, or nothing. */
function mediaOf(m: Message): TelegramMedia | InboundMessage | undefined {
  if (m.animation) return undefined; // also carries `document`; classified as unsupported below
  let media: TelegramMedia | undefined;
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    const largest = m.photo.reduce((a, b) => (area(b) > area(a) ? b : a));
    media = {
      fileId: largest.file_id,
      fileUniqueId: largest.file_unique_id,
      kind: "photo",
      mime: "image/jpeg",
    };
    if (typeof largest.file_size === "number") media.size = largest.file_size;
  } else if (m.document) {
    const d = m.document;
    media = { fileId: d.file_id, fileUniqueId: d.file_unique_id, kind: "document" };
    if (typeof d.mime_type === "string") media.mime = d.mime_type;
    if (typeof d.file_size === "number") media.size = d.file_size;
    if (typeof d.file_name === "string") media.fileName = d.file_name;
  }
  if (!media) return undefined;
  if (typeof media.fileId !== "string" || typeof media.fileUniqueId !== "string") {
    return { type: "unsupported", kind: "malformed" };
  }
  if ((media.size ?? 0) > MAX_DOWNLOAD_BYTES) return { type: "unsupported", kind: "too_large" };
  const caption = cutText(m.caption);
  if (caption) media.caption = caption;
  return media;
}

function area(p: { width?: number; height?: number; file_size?: number }): number {
  return (p.width ?? 0) * (p.height ?? 0) || (p.file_size ?? 0);
}

function messageOf(m: Message, opts: ToInboundOptions): InboundMessage | "service" {
  if (typeof m.text === "string") {
    const text = cutText(m.text);
    if (!text) return { type: "unsupported", kind: "empty" };
    const command = parseCommand(text, opts);
    if (!command) return { type: "text", text };
    const known = commandForWord(command.name);
    return known ? { type: "command", command: known } : { type: "unsupported", kind: "unknown_command" };
  }
  const location = m.location ?? m.venue?.location;
  if (location) return { type: "location", latitude: location.latitude, longitude: location.longitude };
  for (const kind of UNSUPPORTED_CONTENT) {
    if (m[kind] !== undefined) return { type: "unsupported", kind };
  }
  if (Object.keys(m).some((key) => SERVICE_FIELDS.has(key))) return "service";
  return { type: "unsupported", kind: "unknown" };
}

const COMMAND_RE = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;

/** A leading bot command, or `undefined`; `name` is empty when it is addressed to another bot. */
function parseCommand(text: string, opts: ToInboundOptions): { name: string; args: string } | undefined {
  const match = COMMAND_RE.exec(text);
  if (!match) return undefined;
  const [, name = "", bot, args = ""] = match;
  if (bot && opts.botUsername && bot.toLowerCase() !== opts.botUsername.replace(/^@/, "").toLowerCase()) {
    return { name: "", args: "" };
  }
  return { name: name.toLowerCase(), args: args.trim() };
}

/** Trims and cuts to {@link MAX_INBOUND_TEXT} without splitting a surrogate pair; `undefined` if nothing is left. */
function cutText(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  let out = text.trim();
  if (out.length > MAX_INBOUND_TEXT) {
    const code = out.charCodeAt(MAX_INBOUND_TEXT - 1);
    out = out.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_INBOUND_TEXT - 1 : MAX_INBOUND_TEXT).trimEnd();
  }
  return out || undefined;
}

function valid(message: InboundMessage): InboundMessage {
  return inboundMessageSchema.safeParse(message).success
    ? message
    : { type: "unsupported", kind: "malformed" };
}

function ignore(updateId: number, reason: IgnoreReason): TelegramInbound {
  return { kind: "ignore", updateId, reason };
}
