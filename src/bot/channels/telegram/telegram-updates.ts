import type { Update } from "grammy/types";
import { findConversationLang } from "../../../storage/conversation-contact.ts";
import type { Candidate, InboundChannel, InboundSender } from "../../inbound.ts";
import type { ChannelContext } from "../../service.ts";
import { eraseMessage } from "./erase-message.ts";
import type { TelegramClient } from "./telegram-client.ts";
import { MAX_DOWNLOAD_BYTES, type TelegramInbound, toInbound } from "./to-inbound.ts";

/** The channel name in conversations, receipts and the outbox. */
export const TELEGRAM = "telegram";

/** Update ids are per bot, so receipts are scoped by conversation as before. */
const CHANNEL: InboundChannel = { name: TELEGRAM, perConversationIds: true };

/** Where the engine sends replies for a Telegram user; stored only sealed. */
export type TelegramAddress = { chatId: number };

type Routed = Exclude<TelegramInbound, { kind: "ignore" | "erase" }>;

/**
 * Handles one Telegram update, from webhook or long polling alike: translates it and hands it to the
 * inbound path, which keeps a chat's updates in order (media download included). Resolves once the
 * engine committed; throws when it failed, so a webhook answers 500 and Telegram redelivers (the
 * update id de-duplicates). Button answers and keyboard removal are fired off the request path, and so
 * is the button that deletes a code + PIN message, which never reaches the engine.
 */
export class TelegramUpdates {
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ChannelContext,
    private readonly client: TelegramClient,
    private readonly botUsername?: string,
  ) {}

  async handle(update: Update): Promise<void> {
    const inbound = toInbound(update, this.botUsername ? { botUsername: this.botUsername } : {});
    if (inbound.kind === "erase") {
      this.later("eraseMessage", () => this.erase(inbound));
      return;
    }
    const callback = "callback" in inbound ? inbound.callback : undefined;
    if (callback) this.later("answerCallbackQuery", () => this.client.answerCallback(callback.id));
    if (inbound.kind === "ignore") return;
    await this.ctx.inbound.receive(CHANNEL, sender(inbound, update), this.candidate(inbound, update));
    const messageId = callback?.messageId;
    if (inbound.kind !== "group" && messageId !== undefined) {
      this.later("editMessageReplyMarkup", () => this.client.clearKeyboard(inbound.chatId, messageId));
    }
  }

  /** Waits for fire-and-forget calls (answers, keyboard removal) still in flight. */
  async drain(): Promise<void> {
    await Promise.all([...this.background]);
  }

  private candidate(inbound: Routed, update: Update): Candidate {
    const out: Candidate = { externalId: inbound.externalId };
    if (inbound.kind === "group") {
      if (inbound.text) out.text = inbound.text;
      if (inbound.callback?.data) out.buttonId = inbound.callback.data;
      return out;
    }
    const raw = update.message?.text ?? update.message?.caption;
    if (typeof raw === "string" && raw.trim()) out.text = raw.trim().slice(0, 4000);
    if (inbound.kind === "message") {
      out.message = inbound.message;
      // The person's own message, withdrawn when it shows a secret (a typed PIN).
      const own = update.message?.message_id;
      if (inbound.message.type === "text" && Number.isSafeInteger(own)) out.messageRef = String(own);
      if (inbound.message.type === "choice") out.buttonId = inbound.message.id;
      return out;
    }
    const { fileId, mime } = inbound.media;
    out.media = async (limit) => {
      const file = await this.client.download(fileId, Math.min(limit, MAX_DOWNLOAD_BYTES));
      return file.ok ? { ok: true, bytes: file.bytes, mime } : { ok: false, reason: file.reason };
    };
    return out;
  }

  /** Deletes a code + PIN message on request, answered in the conversation's language; the flow is not told. */
  private async erase(press: Extract<TelegramInbound, { kind: "erase" }>): Promise<void> {
    const key = this.ctx.inbound.keyOf(TELEGRAM, String(press.chatId));
    const lang = await findConversationLang(this.ctx.db, key).catch(() => undefined);
    const outcome = await eraseMessage(this.client, press, lang === "en" ? "en" : "id", this.ctx.log);
    this.ctx.log.info({ conversation: key, channel: TELEGRAM, outcome }, "message erase requested");
  }

  private later(what: string, call: () => Promise<void>): void {
    const running = call()
      .catch((error: unknown) =>
        this.ctx.log.warn(
          { call: what, err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
          "telegram call failed",
        ),
      )
      .finally(() => this.background.delete(running));
    this.background.add(running);
  }
}

/** The chat, its reply address and the person who wrote (for recognising officers in groups). */
function sender(inbound: Routed, update: Update): InboundSender {
  const from = update.message?.from ?? update.callback_query?.from;
  return {
    id: String(inbound.chatId),
    address: { chatId: inbound.chatId } satisfies TelegramAddress,
    officer: {
      address: { channel: TELEGRAM, chatId: inbound.chatId },
      senderId: String(typeof from?.id === "number" ? from.id : inbound.chatId),
    },
    isGroup: inbound.kind === "group",
  };
}
