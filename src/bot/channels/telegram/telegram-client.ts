import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, GrammyError, HttpError, InputFile } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { t } from "../../../flows/content/catalog.ts";
import { SendError } from "../../dispatcher.ts";
import type { CommandWord } from "../command-aliases.ts";
import { botApiFetch } from "./bot-api-fetch.ts";
import type { TelegramSend } from "./to-telegram.ts";

/** Updates the bot asks Telegram for: user messages, button presses, and being added to officer groups. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface TelegramClientOptions {
  token: string;
  /** Bot API root, e.g. `https://api.telegram.org` or a local fake in tests. */
  apiRoot: string;
  /** A known bot identity; without it `init()` asks `getMe`. */
  botInfo?: UserFromGetMe;
  /** Longest a file download may take before it counts as failed. */
  downloadTimeoutMs?: number;
}

/**
 * The one module that talks to the Bot API: a grammY {@link Bot} whose API retries 429 (honouring
 * `retry_after` up to {@link MAX_RETRY_AFTER_SECONDS}) and 5xx a couple of times, plus file downloads
 * from the same API root. Network errors are not retried here: the outbox retries them with backoff,
 * so a Telegram outage never blocks a dispatcher round forever.
 */
export class TelegramClient {
  readonly bot: Bot;
  private readonly downloadTimeoutMs: number;

  constructor(private readonly opts: TelegramClientOptions) {
    this.bot = new Bot(opts.token, {
      ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
      client: { apiRoot: opts.apiRoot, fetch: botApiFetch() as unknown as typeof fetch },
    });
    this.bot.api.config.use(
      autoRetry({
        maxRetryAttempts: 3,
        maxDelaySeconds: MAX_RETRY_AFTER_SECONDS,
        rethrowHttpErrors: true,
      }),
    );
    this.downloadTimeoutMs = opts.downloadTimeoutMs ?? 20_000;
  }

  /** Sends rendered calls to one chat in order; `skip` calls were already sent by an earlier attempt. */
  async send(
    chatId: number,
    calls: readonly TelegramSend[],
    onSent?: (index: number, messageId: number) => void,
    skip = 0,
  ) {
    let lastId: number | undefined;
    for (let i = skip; i < calls.length; i++) {
      const call = calls[i]!;
      const sent = await this.bot.api.raw[call.method]({ chat_id: chatId, ...call.payload });
      lastId = sent.message_id;
      onSent?.(i, sent.message_id);
    }
    return lastId;
  }

  /** Deletes the bot's own messages (100 per call); ids Telegram no longer has, or that are too old, are skipped. */
  async deleteMessages(chatId: number, messageIds: readonly number[]): Promise<void> {
    for (let i = 0; i < messageIds.length; i += 100) {
      try {
        await this.bot.api.deleteMessages(chatId, messageIds.slice(i, i + 100));
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 400) continue;
        throw error;
      }
    }
  }

  /**
   * Uploads a file to one chat (multipart): a JPEG with `sendPhoto`, anything else with `sendDocument`.
   * A photo Telegram refuses as a photo (400, e.g. extreme dimensions) is sent again as a document, so
   * the officer still gets the bytes. Resolves with the message id.
   */
  async sendFile(
    chatId: number,
    file: { bytes: Uint8Array; filename: string; mime: string; caption?: string | undefined },
  ): Promise<number> {
    const other = file.caption ? { caption: file.caption } : {};
    const document = () => this.bot.api.sendDocument(chatId, new InputFile(file.bytes, file.filename), other);
    if (file.mime !== "image/jpeg") return (await document()).message_id;
    try {
      return (await this.bot.api.sendPhoto(chatId, new InputFile(file.bytes, file.filename), other))
        .message_id;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 400 && /PHOTO_/i.test(error.description)) {
        return (await document()).message_id;
      }
      throw error;
    }
  }

  /** Answers a button press; `alert` is shown in a pop-up (at most 200 characters) that leaves no trace. */
  async answerCallback(id: string, alert?: string): Promise<void> {
    await this.bot.api.answerCallbackQuery(id, alert ? { text: alert, show_alert: true } : undefined);
  }

  /**
   * Deletes one message in a chat: `gone` when Telegram no longer has it (deleted already), `refused` when
   * it may not be deleted (a bot's message older than 48 hours). Other failures throw.
   */
  async deleteMessage(chatId: number, messageId: number): Promise<"deleted" | "gone" | "refused"> {
    try {
      await this.bot.api.deleteMessage(chatId, messageId);
      return "deleted";
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      return /not found/i.test(error.description) ? "gone" : "refused";
    }
  }

  /**
   * Replaces the text of one of the bot's messages and removes its buttons (bots may edit their own
   * messages at any age): `gone` when the message no longer exists, `refused` for any other 400.
   */
  async replaceText(
    chatId: number,
    messageId: number,
    text: string,
  ): Promise<"replaced" | "gone" | "refused"> {
    try {
      await this.bot.api.editMessageText(chatId, messageId, text, { reply_markup: { inline_keyboard: [] } });
      return "replaced";
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      if (/message is not modified/i.test(error.description)) return "replaced";
      return /not found/i.test(error.description) ? "gone" : "refused";
    }
  }

  /** Removes the inline keyboard of an answered message; "message is not modified" counts as done. */
  async clearKeyboard(chatId: number, messageId: number): Promise<void> {
    try {
      await this.bot.api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } });
    } catch (error) {
      if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return;
      throw error;
    }
  }

  /**
   * Downloads a file with `getFile` and `<apiRoot>/file/bot<token>/<file_path>`. Resolves `too_large`
   * without reading more than `maxBytes`, and `failed` for any API or network problem.
   */
  async download(
    fileId: string,
    maxBytes: number,
  ): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" | "download_failed" }> {
    try {
      const file = await this.bot.api.getFile(fileId);
      if ((file.file_size ?? 0) > maxBytes) return { ok: false, reason: "too_large" };
      if (!file.file_path) return { ok: false, reason: "download_failed" };
      const path = file.file_path.split("/").map(encodeURIComponent).join("/");
      const response = await fetch(`${this.opts.apiRoot}/file/bot${this.opts.token}/${path}`, {
        signal: AbortSignal.timeout(this.downloadTimeoutMs),
      });
      if (!response.ok || !response.body) return { ok: false, reason: "download_failed" };
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          await response.body.cancel().catch(() => {});
          return { ok: false, reason: "too_large" };
        }
        chunks.push(chunk);
      }
      return { ok: true, bytes: Buffer.concat(chunks) };
    } catch {
      return { ok: false, reason: "download_failed" };
    }
  }

  /** Publishes the private-chat command menu in Indonesian (default) and English. */
  async setCommands(): Promise<void> {
    for (const lang of ["id", "en"] as const) {
      await this.bot.api.setMyCommands(
        BOT_COMMANDS.map((command) => ({ command, description: t(lang, `commands.${command}`) })),
        { scope: { type: "all_private_chats" }, ...(lang === "en" ? { language_code: "en" } : {}) },
      );
    }
  }

  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.bot.api.setWebhook(url, {
      secret_token: secretToken,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: false,
    });
  }
}

/** Commands shown in Telegram's menu; descriptions come from the `commands` catalog. */
const BOT_COMMANDS = [
  "start",
  "menu",
  "bahasa",
  "status",
  "hapus",
  "help",
] as const satisfies readonly CommandWord[];

/** Longest `retry_after` waited for in place; a longer one goes back to the outbox, which retries later. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * Classifies a failed send for the dispatcher: the chat is gone or the request is wrong (403 blocked or
 * deactivated, 400) → `fail`; rate limits beyond the in-place wait, Telegram 5xx, network errors and
 * anything unexpected → `retry`. The message never includes the chat id.
 */
export function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (error instanceof GrammyError) {
    const disposition = error.error_code === 403 || error.error_code === 400 ? "fail" : "retry";
    return new SendError(`Telegram ${error.error_code}: ${error.description}`, disposition, { cause: error });
  }
  if (error instanceof HttpError) {
    return new SendError(`Telegram unreachable: ${error.message}`, "retry", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SendError(`Telegram send failed: ${message}`, "retry", { cause: error });
}
