import type { Database } from "./database.ts";
import { prismaOf } from "./prisma-access.ts";

/* Reads the inbound path and the channels need before they hand a message to the engine. */

/** Whether a delivery was already applied (checked before downloading a file again). */
export async function receiptSeen(db: Database, channel: string, externalId: string): Promise<boolean> {
  const row = await prismaOf(db).inboundReceipt.findUnique({
    where: { channel_externalId: { channel, externalId } },
    select: { channel: true },
  });
  return row !== null;
}

/** A conversation's language, `null` when it has none yet, `undefined` when it does not exist. */
export async function conversationLang(db: Database, key: string): Promise<string | null | undefined> {
  const row = await prismaOf(db).conversation.findUnique({ where: { key }, select: { lang: true } });
  return row === null ? undefined : row.lang;
}
