import type { Tx } from "./database.ts";
import { prismaTx } from "./prisma-access.ts";

/** An officer's chat registered with an invite (table `officer`); the address is sealed. */
export interface OfficerRow {
  id: string;
  channel: string;
  /** Pseudonym of the registering sender. */
  channelKey: string;
  addressSealed: Uint8Array;
  active: boolean;
  createdAt: Date;
}

export async function findOfficerById(tx: Tx, id: string): Promise<OfficerRow | undefined> {
  return (await prismaTx(tx).officer.findUnique({ where: { id } })) ?? undefined;
}

/** The registration made by the sender with this pseudonym. */
export async function findOfficerByChannelKey(tx: Tx, channelKey: string): Promise<OfficerRow | undefined> {
  return (await prismaTx(tx).officer.findUnique({ where: { channelKey } })) ?? undefined;
}

/** Registers (or moves) officer `id` to a chat, active. */
export async function saveOfficerRegistration(
  tx: Tx,
  registration: { id: string; channel: string; channelKey: string; addressSealed: Uint8Array<ArrayBuffer> },
): Promise<void> {
  const { id, ...chat } = registration;
  const data = { ...chat, active: true };
  await prismaTx(tx).officer.upsert({ where: { id }, create: { id, ...data }, update: data });
}
