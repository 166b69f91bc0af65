import type { Logger } from "pino";
import { t } from "../../../flows/content/catalog.ts";
import type { Lang } from "../../../flows/message.ts";
import type { TelegramClient } from "./telegram-client.ts";

/**
 * Deletes a message that shows a secret (a report's code and PIN) when the person presses the button under
 * it, and says what happened in a pop-up, so nothing new is left in the chat. A channel-level action: the
 * conversation does not move, the person stays at the step they were at.
 *
 * A bot may delete its own messages for 48 hours. An older one is blanked instead (its text replaced, its
 * button removed), and the pop-up says how to delete it by hand. A second press, or a press after the
 * message was deleted some other way, gets a calm "already deleted".
 */
export async function eraseMessage(
  client: TelegramClient,
  press: { chatId: number; messageId: number; callbackId: string },
  lang: Lang,
  log: Logger,
): Promise<EraseOutcome> {
  const outcome = await erase(client, press.chatId, press.messageId, lang).catch((error: unknown) => {
    // The error names the API method and Telegram's description, never the chat.
    log.warn({ err: error instanceof Error ? error.message : "unknown" }, "telegram message not erased");
    return "failed" as const;
  });
  await client.answerCallback(press.callbackId, t(lang, `telegram.erase.${outcome}`));
  return outcome;
}

/** What pressing the button did. */
export type EraseOutcome = "deleted" | "gone" | "blanked" | "failed";

async function erase(
  client: TelegramClient,
  chatId: number,
  messageId: number,
  lang: Lang,
): Promise<EraseOutcome> {
  const deleted = await client.deleteMessage(chatId, messageId);
  if (deleted !== "refused") return deleted;
  const replaced = await client.replaceText(chatId, messageId, t(lang, "telegram.erase.blank_text"));
  if (replaced === "replaced") return "blanked";
  return replaced === "gone" ? "gone" : "failed";
}
