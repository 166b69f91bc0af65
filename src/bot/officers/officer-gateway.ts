/**
 * The boundary between channels and the officers module. Channels hand every message that might
 * come from an officer (any group message, any private message or button press) to the gateway
 * first; only what it does not take goes to the anonymous user flows.
 */

/** Where an officer is reached; the same shapes the channel senders take as outbox addresses. */
export type OfficerAddress = { channel: "telegram"; chatId: number } | { channel: "whatsapp"; waId: string };

export interface OfficerInbound {
  /** The chat the message came from (a group for Telegram officer groups). Kept in memory only. */
  address: OfficerAddress;
  /** The person who sent it (Telegram `from.id`; the WhatsApp number), for recognising officers in groups. */
  senderId: string;
  /** Delivery id for de-duplication (`u:<update_id>`, wamid). */
  externalId: string;
  /** Typed text, including slash commands. */
  text?: string;
  /** A pressed button's id (already decoded), e.g. `off:ack:REF-7K3M-9QX2`. */
  buttonId?: string;
  /** True for group chats (never a user conversation). */
  isGroup: boolean;
}

/**
 * - `handled`: the officers module took it (and replied through the outbox if needed).
 * - `user`: not for officers; give it to the user flow unchanged.
 * - `user_menu`: someone who is not an officer tried an officer command; the attempt was audited,
 *   and the channel should give the user flow a `menu` command instead.
 * - `ignore`: drop it (e.g. chatter in an officer group that is not a command).
 */
export type OfficerRouting = "handled" | "user" | "user_menu" | "ignore";

export interface OfficerGateway {
  route(inbound: OfficerInbound): Promise<OfficerRouting>;
}

/** A gateway that sends everything to the user flows (no officers module configured). */
export const noOfficers: OfficerGateway = {
  async route(inbound) {
    return inbound.isGroup ? "ignore" : "user";
  },
};
