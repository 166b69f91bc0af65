import { z } from "zod";
import type { Lang, OutboundMessage } from "../../../flows/message.ts";
import { findConversationLang } from "../../../storage/conversation-contact.ts";
import type { Sealer } from "../../../storage/crypto.ts";
import type { Database } from "../../../storage/database.ts";
import { type ChannelSender, SendError } from "../../dispatcher.ts";
import { EVIDENCE_GONE_TEXT, evidenceFileName, readEvidence } from "../../evidence.ts";
import { type TelegramClient, toSendError } from "./telegram-client.ts";
import { MAX_INLINE_BUTTONS, toTelegram } from "./to-telegram.ts";

/** A Telegram outbox address: the user's `{ chatId }`, or an officer address that also names the channel. */
const addressSchema = z.object({ chatId: z.number().int().safe() });

/**
 * Delivers outbox messages to Telegram: renders with {@link toTelegram} and sends the calls in order.
 * A long text becomes several messages; when one of them fails, the retry resumes after the last part
 * that went out (remembered in memory for this process), so a retry does not repeat the first parts.
 * A `file` message carries only an evidence id: the sender reads the sealed evidence and uploads it
 * (see {@link TelegramClient.sendFile}); evidence that is gone becomes a short text instead.
 */
export class TelegramSender implements ChannelSender {
  private readonly progress = new Map<string, number>();

  constructor(
    private readonly client: TelegramClient,
    private readonly db: Database,
    private readonly sealer: Sealer,
  ) {}

  async send(
    address: unknown,
    message: OutboundMessage,
    meta: { idempotencyKey: string; targetKey: string },
  ): Promise<{ externalId?: string } | undefined> {
    const parsed = addressSchema.safeParse(address);
    if (!parsed.success) throw new SendError("not a Telegram address", "fail");
    if (message.type === "file") return this.sendFile(parsed.data.chatId, message);
    if (message.type === "unsend") {
      const ids = message.refs
        .flatMap((r) => r.split(","))
        .map(Number)
        .filter(Number.isSafeInteger);
      await this.client.deleteMessages(parsed.data.chatId, ids).catch((error) => {
        throw toSendError(error);
      });
      return undefined;
    }
    const lang = needsLabels(message) ? await this.langOf(meta.targetKey) : undefined;
    const calls = toTelegram(message, lang ? { lang } : {});
    const done = this.progress.get(meta.idempotencyKey) ?? 0;
    // Every part's message id is kept (comma-separated), so `/hapus` can withdraw all of them.
    const ids: number[] = [];
    try {
      await this.client.send(
        parsed.data.chatId,
        calls,
        (i, id) => {
          ids.push(id);
          this.remember(meta.idempotencyKey, i + 1);
        },
        done,
      );
      this.progress.delete(meta.idempotencyKey);
      return ids.length === 0 ? undefined : { externalId: ids.join(",") };
    } catch (error) {
      const failure = toSendError(error);
      if (failure.disposition !== "retry") this.progress.delete(meta.idempotencyKey);
      throw failure;
    }
  }

  private async sendFile(
    chatId: number,
    message: Extract<OutboundMessage, { type: "file" }>,
  ): Promise<{ externalId: string } | undefined> {
    try {
      const evidence = await readEvidence(this.db, this.sealer, message.ref);
      if (!evidence) {
        const text = message.name ? `${message.name}: ${EVIDENCE_GONE_TEXT}` : EVIDENCE_GONE_TEXT;
        const id = await this.client.send(chatId, toTelegram({ type: "text", text }));
        return id === undefined ? undefined : { externalId: String(id) };
      }
      const id = await this.client.sendFile(chatId, {
        bytes: evidence.bytes,
        filename: evidenceFileName(message.name, evidence.mime),
        mime: evidence.mime,
        caption: message.caption,
      });
      return { externalId: String(id) };
    } catch (error) {
      throw toSendError(error);
    }
  }

  private remember(key: string, sent: number): void {
    this.progress.delete(key);
    this.progress.set(key, sent);
    if (this.progress.size > 1000) {
      const oldest = this.progress.keys().next().value;
      if (oldest !== undefined) this.progress.delete(oldest);
    }
  }

  /** The conversation's language, for the few words the channel adds itself (default Indonesian). */
  private async langOf(targetKey: string): Promise<Lang | undefined> {
    const lang = await findConversationLang(this.db, targetKey);
    return lang === "en" || lang === "id" ? lang : undefined;
  }
}

/** Whether rendering adds channel words (location button, media hint, "or choose"). */
function needsLabels(message: OutboundMessage): boolean {
  if (message.type === "request") return true;
  return message.type === "text" && (message.choices?.length ?? 0) > MAX_INLINE_BUTTONS;
}
