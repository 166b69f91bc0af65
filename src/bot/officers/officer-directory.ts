import type { OutboundMessage } from "../../flows/message.ts";
import { pseudonym, type Sealer, sealedAt } from "../../storage/crypto.ts";
import type { Tx } from "../../storage/database.ts";
import type { Keys } from "../../storage/keys.ts";
import { findOfficerByChannelKey, findOfficerById } from "../../storage/officers.ts";
import type { NewOutboxMessage } from "../../storage/outbox.ts";
import { sealOutbox } from "../outbox-payload.ts";
import { type Contacts, notifyAddress, type Officer } from "./contacts.ts";
import type { OfficerAddress, OfficerInbound } from "./officer-gateway.ts";

/** A recognised officer: who acts, and whose access bounds the answer (see `OfficerRun.viewers`). */
export type OfficerIdentity = { officerId: string; viewers: string[] };

/** Where a message to an officer goes: the outbox channel and the sender's address shape. */
export type OfficerTarget =
  | { channel: "telegram"; address: { chatId: number } }
  | { channel: "whatsapp"; address: { waId: string } };

/**
 * Who the officers are and where they are reached: the contacts file plus registrations made with
 * an invite code (table `officer`). Raw chat ids and numbers stay in memory or sealed; keys in the
 * database and logs are HMAC pseudonyms.
 */
export class OfficerDirectory {
  constructor(
    readonly contacts: Contacts,
    private readonly keys: Keys,
    private readonly sealer: Sealer,
  ) {}

  byId(id: string): Officer | undefined {
    return this.contacts.officers.find((o) => o.id === id);
  }

  /** The officer's name for other officers (never shown to reporters). */
  name(id: string): string {
    return this.byId(id)?.name ?? id;
  }

  /** Pseudonym of a channel user: the same key as their user conversation. */
  senderKey(inbound: Pick<OfficerInbound, "address" | "senderId">): string {
    return pseudonym(this.keys.pseudonymKey, inbound.address.channel, inbound.senderId);
  }

  /**
   * The officer who sent `inbound`: the sender's own contacts entry or their invite registration.
   * In a group, that alone is not enough: the group must also be a unit's group from the contacts
   * file (case data is answered into the chat it was asked in), and its entry joins the `viewers`,
   * so the answer shows only what both the officer and the group may see. A group member who is not
   * an officer is nobody here, however the group is listed.
   */
  async identify(tx: Tx | undefined, inbound: OfficerInbound): Promise<OfficerIdentity | undefined> {
    const group = inbound.isGroup ? this.unitGroup(inbound) : undefined;
    if (inbound.isGroup && !group) return undefined;
    const { address, senderId } = inbound;
    const own = this.contacts.officers.find((o) =>
      address.channel === "telegram" ? String(o.telegram) === senderId : o.whatsapp === senderId,
    );
    let officerId = own?.id;
    if (!officerId && tx) {
      const registered = await findOfficerByChannelKey(tx, this.senderKey(inbound));
      if (registered?.active && this.byId(registered.id)) officerId = registered.id;
    }
    if (!officerId) return undefined;
    return { officerId, viewers: group && group.id !== officerId ? [officerId, group.id] : [officerId] };
  }

  /** The contacts entry of the unit's group `inbound` came from, when it is one. */
  unitGroup(inbound: OfficerInbound): Officer | undefined {
    const { address } = inbound;
    if (!inbound.isGroup || address.channel !== "telegram") return undefined;
    return this.contacts.officers.find((o) => o.telegram === address.chatId);
  }

  /**
   * Where `officerId` is notified: the chat they registered with an invite (which proves the bot
   * can write to it), else the contacts address (Telegram before WhatsApp).
   */
  async target(tx: Tx, officerId: string): Promise<OfficerTarget | undefined> {
    const registered = await findOfficerById(tx, officerId);
    if (registered?.active) {
      const address = this.sealer.openJson<OfficerAddress>(
        registered.addressSealed,
        sealedAt.officerAddress(registered.id),
      );
      return toTarget(address);
    }
    const officer = this.byId(officerId);
    if (!officer) return undefined;
    const a = notifyAddress(officer);
    return a.channel === "telegram"
      ? { channel: "telegram", address: { chatId: a.chatId } }
      : { channel: "whatsapp", address: { waId: a.number } };
  }

  /** An outbox row for `target`; ordering is per destination chat. */
  outbox(
    target: OfficerTarget,
    message: OutboundMessage,
    idempotencyKey: string,
    purpose: string,
  ): NewOutboxMessage {
    const id = "chatId" in target.address ? target.address.chatId : target.address.waId;
    const targetKey = pseudonym(this.keys.pseudonymKey, "officer-chat", `${target.channel}:${id}`);
    return sealOutbox(
      this.sealer,
      { idempotencyKey, channel: target.channel, targetKey, purpose },
      { address: target.address, message },
    );
  }
}

/** The outbox target of the chat a message came from. */
export function toTarget(address: OfficerAddress): OfficerTarget {
  return address.channel === "telegram"
    ? { channel: "telegram", address: { chatId: address.chatId } }
    : { channel: "whatsapp", address: { waId: address.waId } };
}
