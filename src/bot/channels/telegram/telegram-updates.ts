import type { Update } from "grammy/types";
import type { InboundMessage } from "../../../flows/message.ts";
import { pseudonym } from "../../../storage/crypto.ts";
import { EVIDENCE_MAX_BYTES, storeEvidence } from "../../evidence.ts";
import { KeyedQueue } from "../../keyed-queue.ts";
import type { OfficerInbound } from "../../officers/officer-gateway.ts";
import type { ChannelContext } from "../../service.ts";
import type { TelegramClient } from "./telegram-client.ts";
import { MAX_DOWNLOAD_BYTES, mediaMessage, type TelegramInbound, toInbound } from "./to-inbound.ts";

/** The channel name in conversations, receipts and the outbox. */
export const TELEGRAM = "telegram";

/** Where the engine sends replies for a Telegram user; stored only sealed. */
export type TelegramAddress = { chatId: number };

/** Files beyond what evidence accepts are refused without downloading the rest. */
const DOWNLOAD_LIMIT = Math.min(MAX_DOWNLOAD_BYTES, EVIDENCE_MAX_BYTES);

type Routed = Exclude<TelegramInbound, { kind: "ignore" }>;

/**
 * Handles one Telegram update, from webhook or long polling alike. Updates of one chat run one at a
 * time in arrival order, including the media download, so a photo never overtakes or trails the
 * message after it. The returned promise settles once the engine transaction committed (the durable
 * write); replies leave later through the outbox. Button answers and keyboard removal are fired off
 * the request path. Throws when the engine failed, so a webhook answers 500 and Telegram redelivers
 * (the update id de-duplicates). Logs carry the pseudonymous key only.
 */
export class TelegramUpdates {
  private readonly queue = new KeyedQueue();
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ChannelContext,
    private readonly client: TelegramClient,
    private readonly botUsername?: string,
  ) {}

  async handle(update: Update): Promise<void> {
    const inbound = toInbound(update, this.botUsername ? { botUsername: this.botUsername } : {});
    const callback = "callback" in inbound ? inbound.callback : undefined;
    if (callback) this.later("answerCallbackQuery", () => this.client.answerCallback(callback.id));
    if (inbound.kind === "ignore") return;
    const key = pseudonym(this.ctx.keys.pseudonymKey, TELEGRAM, inbound.chatId);
    try {
      await this.queue.run(key, () => this.process(inbound, update, key));
    } catch (error) {
      this.ctx.log.error({ conversation: key, err: errorText(error) }, "telegram update failed");
      throw error;
    }
    const messageId = callback?.messageId;
    if (inbound.kind !== "group" && messageId !== undefined) {
      this.later("editMessageReplyMarkup", () => this.client.clearKeyboard(inbound.chatId, messageId));
    }
  }

  /** Waits for fire-and-forget calls (answers, keyboard removal) still in flight. */
  async drain(): Promise<void> {
    await this.queue.drain();
    await Promise.all([...this.background]);
  }

  private async process(inbound: Routed, update: Update, key: string): Promise<void> {
    const routing = await this.ctx.officers.route(officerInbound(inbound, update));
    if (routing === "handled" || routing === "ignore" || inbound.kind === "group") return;
    const externalId = `${key}:${inbound.externalId}`;
    let message: InboundMessage | undefined;
    if (routing === "user_menu") message = { type: "command", command: "menu" };
    else if (inbound.kind === "media") message = await this.fetchMedia(inbound, key, externalId);
    else message = inbound.message;
    if (!message) return;
    const outcome = await this.ctx.engine.handle({
      conversationKey: key,
      channel: TELEGRAM,
      externalId,
      address: { chatId: inbound.chatId } satisfies TelegramAddress,
      event: { type: "user.message", message },
    });
    this.ctx.log.debug({ conversation: key, outcome, kind: message.type }, "telegram update handled");
  }

  /** Downloads and stores a file; `undefined` for a redelivered update (nothing to do). */
  private async fetchMedia(
    inbound: Extract<TelegramInbound, { kind: "media" }>,
    key: string,
    externalId: string,
  ): Promise<InboundMessage | undefined> {
    const { db, sealer, log } = this.ctx;
    const seen = await db.prisma.inboundReceipt.findUnique({
      where: { channel_externalId: { channel: TELEGRAM, externalId } },
      select: { channel: true },
    });
    if (seen) return undefined;
    const file = await this.client.download(inbound.media.fileId, DOWNLOAD_LIMIT);
    if (!file.ok) {
      log.info({ conversation: key, reason: file.reason }, "telegram file not downloaded");
      return { type: "unsupported", kind: file.reason };
    }
    const stored = await storeEvidence(db, sealer, key, { bytes: file.bytes, mime: inbound.media.mime });
    if (!stored.ok) {
      log.info({ conversation: key, reason: stored.reason }, "telegram file refused as evidence");
      return { type: "unsupported", kind: stored.reason };
    }
    return mediaMessage({ ...inbound.media, size: stored.size, mime: stored.mime }, stored.id);
  }

  private later(what: string, call: () => Promise<void>): void {
    const running = call()
      .catch((error: unknown) =>
        this.ctx.log.warn({ call: what, err: errorText(error) }, "telegram call failed"),
      )
      .finally(() => this.background.delete(running));
    this.background.add(running);
  }
}

/** What the officers module needs to recognise an officer; kept in memory only. */
function officerInbound(inbound: Routed, update: Update): OfficerInbound {
  const from = update.message?.from ?? update.callback_query?.from;
  const out: OfficerInbound = {
    address: { channel: TELEGRAM, chatId: inbound.chatId },
    senderId: String(typeof from?.id === "number" ? from.id : inbound.chatId),
    externalId: inbound.externalId,
    isGroup: inbound.kind === "group",
  };
  if (inbound.kind === "group") {
    if (inbound.text) out.text = inbound.text;
    if (inbound.callback?.data) out.buttonId = inbound.callback.data;
    return out;
  }
  const raw = update.message?.text ?? update.message?.caption;
  if (typeof raw === "string" && raw.trim()) out.text = raw.trim().slice(0, 4000);
  if (inbound.kind === "message" && inbound.message.type === "choice") out.buttonId = inbound.message.id;
  return out;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
