import type { Database } from "./database.ts";
import { dbQuery } from "./driver.ts";
import { prismaOf } from "./prisma-access.ts";

/* Reads the inbound path and the channels need before they hand a message to the engine. */

/**
 * Whether a delivery was already applied (checked before downloading a file again). Asked for every
 * inbound message, so it runs on the driver (driver.ts), not through Prisma.
 */
export async function receiptSeen(db: Database, channel: string, externalId: string): Promise<boolean> {
  const rows = await dbQuery(
    db,
    {
      name: "suara_receipt_seen",
      text: "SELECT 1 AS seen FROM inbound_receipt WHERE channel = $1 AND external_id = $2",
    },
    [channel, externalId],
  );
  return rows.length > 0;
}

/** A conversation's language, `null` when it has none yet, `undefined` when it does not exist. */
export async function conversationLang(db: Database, key: string): Promise<string | null | undefined> {
  const row = await prismaOf(db).conversation.findUnique({ where: { key }, select: { lang: true } });
  return row === null ? undefined : row.lang;
}
