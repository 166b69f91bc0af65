import type { InlineKeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { Choice, Lang, OutboundMessage } from "../../../flows/message.ts";
import { splitText } from "../split-text.ts";
import { ERASE_CALLBACK_DATA, encodeCallbackData } from "./callback-data.ts";

/**
 * Renders one channel-neutral message as the Bot API calls that show it, in order. Pure: the client adds
 * `chat_id` and sends each call, e.g. `api.raw[send.method]({ chat_id, ...send.payload })`.
 *
 * - Plain text only; `parse_mode` is never set, so user input echoed in a text cannot break formatting.
 *   Link previews are off: a bot text may quote a recruiter's link, and the chat should not advertise it.
 * - Texts over 4096 characters become several messages (see {@link splitText}); the keyboard is on the last.
 * - A text with `erase` (it shows a code and PIN) gets a button that deletes that message (see
 *   `erase-message.ts`), under its first part, where the code and PIN are.
 * - Choices become an inline keyboard, one button per row, two per row when every label is short; each
 *   button's `callback_data` comes from {@link encodeCallbackData}.
 * - A message without choices carries `remove_keyboard`, so the one reply keyboard the bot ever shows (the
 *   location button) disappears at the next plain message. `end` renders nothing: it has no text, the flow
 *   says goodbye in the reply before it, and inline keyboards are removed with {@link answeredKeyboardEdit}.
 * - `request` `location`: the text with a one-time reply keyboard `[📍 share location]`, then, when there
 *   are choices, a short second message with them as an inline keyboard (a message has only one markup).
 * - `request` `media`: the text, with a Telegram-specific hint on how to attach a photo or document.
 */
export function toTelegram(msg: OutboundMessage, opts: ToTelegramOptions = {}): TelegramSend[] {
  const labels = { ...DEFAULT_LABELS[opts.lang ?? "id"], ...opts.labels };
  switch (msg.type) {
    case "end":
    case "unsend":
    case "file":
      // A file is uploaded by the sender (it reads the evidence); there is no pure rendering of it.
      return [];
    case "text":
      return withErase(withChoices(msg.text, msg.choices, labels), msg.erase?.label);
    case "request":
      if (msg.kind === "media") return withChoices(`${msg.text}\n\n${labels.mediaHint}`, msg.choices, labels);
      return locationRequest(msg.text, msg.choices, labels);
  }
}

/** One Bot API call without `chat_id`. */
export type TelegramSend = {
  method: "sendMessage";
  payload: {
    text: string;
    link_preview_options: { is_disabled: true };
    reply_markup?: ChoiceKeyboard | ReplyKeyboardMarkup | ReplyKeyboardRemove;
  };
};

/** An inline keyboard of callback buttons, the only kind this channel renders. */
export type ChoiceKeyboard = { inline_keyboard: InlineKeyboardButton.CallbackButton[][] };

/** The few words the channel itself adds; everything else comes from the flows' catalogs. */
export type TelegramLabels = {
  /** Reply keyboard button that shares the location. */
  shareLocation: string;
  /** Text of the extra message that carries the choices of a location request. */
  choicesPrompt: string;
  /** Appended to a media request. */
  mediaHint: string;
};

export type ToTelegramOptions = { lang?: Lang; labels?: Partial<TelegramLabels> };

export const DEFAULT_LABELS: Readonly<Record<Lang, TelegramLabels>> = {
  id: {
    shareLocation: "📍 Kirim lokasi",
    choicesPrompt: "Atau pilih:",
    mediaHint: "📎 Kirim foto atau dokumen lewat ikon klip kertas (maks. 20 MB).",
  },
  en: {
    shareLocation: "📍 Share location",
    choicesPrompt: "Or choose:",
    mediaHint: "📎 Send a photo or document with the paper clip icon (max. 20 MB).",
  },
};

/** Telegram's message text limit. */
export const MAX_MESSAGE_TEXT = 4096;
/** Telegram's limit of buttons in one inline keyboard. */
export const MAX_INLINE_BUTTONS = 100;
/** Labels up to this many characters are laid out two per row. */
const SHORT_LABEL = 14;
/** Longer labels are cut; Telegram shows only the start of a long button anyway. */
const MAX_LABEL = 120;

/**
 * The call that removes the inline keyboard of a message whose button was just pressed, so an answered
 * question cannot be answered twice. Telegram answers 400 "message is not modified" when the message has no
 * keyboard left; the client can ignore that error.
 */
export function answeredKeyboardEdit(messageId: number): {
  method: "editMessageReplyMarkup";
  payload: { message_id: number; reply_markup: ChoiceKeyboard };
} {
  return {
    method: "editMessageReplyMarkup",
    payload: { message_id: messageId, reply_markup: { inline_keyboard: [] } },
  };
}

/** Lays out choices as an inline keyboard (at most {@link MAX_INLINE_BUTTONS} of them). */
export function inlineKeyboard(choices: readonly Choice[]): ChoiceKeyboard {
  const buttons: InlineKeyboardButton.CallbackButton[] = choices.map((c) => ({
    text: buttonLabel(c.label, c.id),
    callback_data: encodeCallbackData(c.id),
  }));
  const perRow = buttons.length > 1 && buttons.every((b) => [...b.text].length <= SHORT_LABEL) ? 2 : 1;
  const rows: InlineKeyboardButton.CallbackButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return { inline_keyboard: rows };
}

function withChoices(
  text: string,
  choices: readonly Choice[] | undefined,
  labels: TelegramLabels,
): TelegramSend[] {
  const chunks = chunk(choices ?? [], MAX_INLINE_BUTTONS);
  const parts = splitText(text, MAX_MESSAGE_TEXT);
  if (parts.length === 0 && chunks.length > 0) parts.push(labels.choicesPrompt);
  const sends = parts.map((part, i) =>
    send(
      part,
      i < parts.length - 1 ? undefined : chunks[0] ? inlineKeyboard(chunks[0]) : { remove_keyboard: true },
    ),
  );
  for (const more of chunks.slice(1)) sends.push(send(labels.choicesPrompt, inlineKeyboard(more)));
  return sends;
}

/** Puts the button that deletes a message under the first part of the text. */
function withErase(sends: TelegramSend[], label: string | undefined): TelegramSend[] {
  const first = sends[0];
  if (!label || !first) return sends;
  const markup = first.payload.reply_markup;
  const rows = markup && "inline_keyboard" in markup ? markup.inline_keyboard : [];
  first.payload.reply_markup = {
    inline_keyboard: [...rows, [{ text: buttonLabel(label, "erase"), callback_data: ERASE_CALLBACK_DATA }]],
  };
  return sends;
}

function locationRequest(
  text: string,
  choices: readonly Choice[] | undefined,
  labels: TelegramLabels,
): TelegramSend[] {
  const parts = splitText(text, MAX_MESSAGE_TEXT);
  if (parts.length === 0) parts.push(labels.shareLocation);
  const keyboard: ReplyKeyboardMarkup = {
    keyboard: [[{ text: labels.shareLocation, request_location: true }]],
    resize_keyboard: true,
    one_time_keyboard: true,
  };
  const sends = parts.map((part, i) => send(part, i === parts.length - 1 ? keyboard : undefined));
  for (const some of chunk(choices ?? [], MAX_INLINE_BUTTONS)) {
    sends.push(send(labels.choicesPrompt, inlineKeyboard(some)));
  }
  return sends;
}

function send(text: string, reply_markup: TelegramSend["payload"]["reply_markup"]): TelegramSend {
  const payload: TelegramSend["payload"] = { text, link_preview_options: { is_disabled: true } };
  if (reply_markup) payload.reply_markup = reply_markup;
  return { method: "sendMessage", payload };
}

function buttonLabel(label: string, id: string): string {
  const text = label.replace(/\s+/g, " ").trim() || id.trim() || "•";
  const chars = [...text];
  return chars.length <= MAX_LABEL ? text : `${chars.slice(0, MAX_LABEL - 1).join("")}…`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
