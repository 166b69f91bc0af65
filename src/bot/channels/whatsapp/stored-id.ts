import { pseudonym } from "../../../storage/crypto.ts";

/**
 * What is stored for a WhatsApp message id. A wamid encodes the phone number it was sent from or
 * to, so it is kept only as a keyed hash (receipts, outbox rows, delivery statuses).
 */
export function storedMessageId(pseudonymKey: Buffer, wamid: string): string {
  return `wamid:${pseudonym(pseudonymKey, "wamid", wamid)}`;
}
