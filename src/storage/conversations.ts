import type { Tx } from "./database.ts";

/** A conversation row as the engine sees it, locked for the current transaction. */
export interface ConversationRow {
  key: string;
  channel: string;
  flowId: string;
  flowVersion: number;
  snapshotSealed: Uint8Array | null;
  lang: string | null;
  channelState: ChannelState | null;
  contactConsent: boolean;
  lastInboundAt: Date | null;
  version: number;
  isNew: boolean;
}

/** Engine bookkeeping per conversation that is not part of the flow snapshot. */
export interface ChannelState {
  /** Option ids of the last numbered menu shown, so a typed "7" picks option 7. */
  numbered?: string[];
  /** Option ids of the last message with choices, to resolve channel-shortened button payloads. */
  offered?: string[];
  /** Pending durable timer job per timer name, replaced when the flow asks again. */
  timers?: Record<string, string>;
}

/**
 * Records an inbound delivery; returns false when `(channel, externalId)` was seen before, so the
 * caller can skip it (at-least-once delivery becomes exactly-once transitions).
 */
export async function recordReceipt(
  tx: Tx,
  channel: string,
  externalId: string,
  conversationKey: string,
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO inbound_receipt (channel, external_id, conversation_key)
    VALUES (${channel}, ${externalId}, ${conversationKey})
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/**
 * Creates the conversation when missing and locks its row until the transaction ends, so events
 * of one conversation are applied one at a time, on one instance or several.
 */
export async function lockConversation(
  tx: Tx,
  key: string,
  channel: string,
  flowId: string,
  flowVersion: number,
): Promise<ConversationRow> {
  const created = await tx.$executeRaw`
    INSERT INTO conversation (key, channel, flow_id, flow_version, updated_at)
    VALUES (${key}, ${channel}, ${flowId}, ${flowVersion}, now())
    ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<
    {
      key: string;
      channel: string;
      flow_id: string;
      flow_version: number;
      snapshot_sealed: Uint8Array | null;
      lang: string | null;
      channel_state: ChannelState | null;
      contact_consent: boolean;
      last_inbound_at: Date | null;
      version: number;
    }[]
  >`SELECT key, channel, flow_id, flow_version, snapshot_sealed, lang, channel_state, contact_consent,
           last_inbound_at, version
    FROM conversation WHERE key = ${key} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error("conversation row vanished while locking");
  return {
    key: row.key,
    channel: row.channel,
    flowId: row.flow_id,
    flowVersion: row.flow_version,
    snapshotSealed: row.snapshot_sealed,
    lang: row.lang,
    channelState: row.channel_state,
    contactConsent: row.contact_consent,
    lastInboundAt: row.last_inbound_at,
    version: row.version,
    isNew: created === 1 || row.snapshot_sealed === null,
  };
}

/** Saves the state after an applied event. */
export async function saveConversation(
  tx: Tx,
  key: string,
  data: {
    flowId: string;
    flowVersion: number;
    snapshotSealed: Uint8Array<ArrayBuffer>;
    lang: string | null;
    channelState: ChannelState;
    addressSealed?: Uint8Array<ArrayBuffer>;
    lastInboundAt?: Date;
    expiresAt: Date;
    version: number;
    contactConsent?: boolean;
  },
): Promise<void> {
  await tx.conversation.update({
    where: { key },
    data: {
      flowId: data.flowId,
      flowVersion: data.flowVersion,
      snapshotSealed: data.snapshotSealed,
      lang: data.lang,
      channelState: data.channelState as object,
      version: data.version,
      expiresAt: data.expiresAt,
      ...(data.addressSealed ? { addressSealed: data.addressSealed } : {}),
      ...(data.lastInboundAt ? { lastInboundAt: data.lastInboundAt } : {}),
      ...(data.contactConsent !== undefined ? { contactConsent: data.contactConsent } : {}),
    },
  });
}

/** `/hapus`: removes the conversation, its reply address and its delivery receipts. */
export async function deleteConversation(tx: Tx, key: string): Promise<void> {
  await tx.inboundReceipt.deleteMany({ where: { conversationKey: key } });
  await tx.evidence.deleteMany({ where: { conversationKey: key, reportId: null } });
  await tx.conversation.deleteMany({ where: { key } });
  await tx.report.updateMany({ where: { conversationKey: key }, data: { conversationKey: null } });
}

/** The sealed reply address of a conversation, if it still has one. */
export async function conversationAddress(tx: Tx, key: string): Promise<Uint8Array | undefined> {
  const row = await tx.conversation.findUnique({ where: { key }, select: { addressSealed: true } });
  return row?.addressSealed ?? undefined;
}
