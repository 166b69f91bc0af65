import type { Database, Tx } from "./database.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/**
 * How a person is reached through their conversation: the sealed reply address, the language,
 * WhatsApp's delivery window and the consent to be contacted about a case. (The engine's own
 * reads and writes of a conversation are in conversations.ts.)
 */

/** What a push to a reporter needs from their conversation. */
export interface ConversationReach {
  key: string;
  channel: string;
  lang: string | null;
  addressSealed: Uint8Array | null;
}

export async function findConversationReach(tx: Tx, key: string): Promise<ConversationReach | undefined> {
  const row = await prismaTx(tx).conversation.findUnique({
    where: { key },
    select: { key: true, channel: true, lang: true, addressSealed: true },
  });
  return row ?? undefined;
}

/** The conversation's sealed reply address; undefined when there is none. */
export async function findReplyAddress(tx: Tx, key: string): Promise<Uint8Array | undefined> {
  const row = await prismaTx(tx).conversation.findUnique({ where: { key }, select: { addressSealed: true } });
  return row?.addressSealed ?? undefined;
}

/** The conversation's language (null: not chosen); undefined when there is no conversation. */
export async function findConversationLang(db: Database, key: string): Promise<string | null | undefined> {
  const row = await prismaOf(db).conversation.findUnique({ where: { key }, select: { lang: true } });
  return row ? row.lang : undefined;
}

/** When the person last wrote, and their language; undefined when there is no conversation. */
export async function findDeliveryWindow(
  db: Database,
  key: string,
): Promise<{ lastInboundAt: Date | null; lang: string | null } | undefined> {
  const row = await prismaOf(db).conversation.findUnique({
    where: { key },
    select: { lastInboundAt: true, lang: true },
  });
  return row ?? undefined;
}

/** Records that the person consented to be contacted about their case (the conversation must exist). */
export async function setContactConsent(tx: Tx, key: string): Promise<void> {
  await prismaTx(tx).conversation.update({ where: { key }, data: { contactConsent: true } });
}
