import { appendAudit } from "../../storage/audit.ts";
import { type Sealer, sealedAt, sha256Hex } from "../../storage/crypto.ts";
import type { Tx } from "../../storage/database.ts";
import { findInvite, markInviteUsed } from "../../storage/invites.ts";
import { findOfficerByChannelKey, saveOfficerRegistration } from "../../storage/officers.ts";
import type { OfficerDirectory } from "./officer-directory.ts";
import type { OfficerInbound } from "./officer-gateway.ts";
import { officerReplies as say } from "./officer-replies.ts";

/**
 * Registers the sender's private chat as an officer's with a one-time invite code (`/daftar KODE`,
 * from `npm run admin -- officers invite`). A failed attempt is audited under the sender's
 * pseudonym; a chat already registered to another officer is refused.
 */
export async function registerOfficer(
  tx: Tx,
  deps: { directory: OfficerDirectory; sealer: Sealer },
  request: { inbound: OfficerInbound; invite: string; now: Date; reply: (m: string) => void },
): Promise<void> {
  const { directory, sealer } = deps;
  const { inbound, invite, now, reply } = request;
  const senderKey = directory.senderKey(inbound);
  if (inbound.isGroup) return reply(say.registerPrivateOnly);
  const row = await findInvite(tx, inviteHash(invite));
  if (!row || row.usedAt || row.expiresAt <= now || !directory.byId(row.officerId)) {
    await appendAudit(tx, {
      actor: senderKey,
      action: "officer.register_failed",
      details: { channel: inbound.address.channel },
    });
    return reply(say.registerFailed);
  }
  const taken = await findOfficerByChannelKey(tx, senderKey);
  if (taken && taken.id !== row.officerId) return reply(say.registerTaken);
  await markInviteUsed(tx, row.codeHash, now);
  await saveOfficerRegistration(tx, {
    id: row.officerId,
    channel: inbound.address.channel,
    channelKey: senderKey,
    addressSealed: sealer.sealJson(inbound.address, sealedAt.officerAddress(row.officerId)),
  });
  await appendAudit(tx, {
    actor: row.officerId,
    action: "officer.registered",
    details: { channel: inbound.address.channel },
  });
  reply(say.registered(directory.name(row.officerId)));
}

/** The hash stored for an invite code (codes are compared case-insensitively, dashes ignored). */
export function inviteHash(code: string): string {
  return sha256Hex(`officer-invite:${code.toUpperCase().replace(/[^A-Z0-9]/g, "")}`);
}
