import { randomUUID } from "node:crypto";
import { t } from "../flows/content/catalog.ts";
import type { FlowOutput, Lang } from "../flows/message.ts";
import { findReplyAddress } from "../storage/conversation-contact.ts";
import { type ChannelState, deleteConversation, recentSentRefs } from "../storage/conversations.ts";
import { type Sealer, sealedAt } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";
import type { NewOutboxMessage } from "../storage/outbox.ts";
import { langOf } from "./engine-helpers.ts";
import { writeTimer } from "./engine-timers.ts";
import type { EngineOptions, Inbound } from "./engine-types.ts";
import { moveOutbox, sealOutbox } from "./outbox-payload.ts";

/** The outputs of one event, written: the outbox rows of its replies, and whether the conversation is to be deleted. */
export interface WrittenOutputs {
  outbox: NewOutboxMessage[];
  deleted: boolean;
}

/**
 * Turns the outputs of one event into outbox rows (each reply sealed with its reply address: the
 * inbound's, else the stored one) and named timers scheduled or cancelled in `tx` (engine-timers.ts).
 * Updates the offered and numbered choices, and the pending timers, in `state`. When the status
 * check read a PIN the person typed, that message is withdrawn on a channel that can, and they are
 * told so in `lang`. The outbox rows are returned, not written: the caller writes them with the
 * conversation (or after deleting it).
 */
export async function writeOutputs(
  tx: Tx,
  opts: EngineOptions,
  inbound: Inbound,
  outputs: readonly FlowOutput[],
  { state, now }: { state: ChannelState; now: Date },
  lang: string | null,
): Promise<WrittenOutputs> {
  const { sealer, log } = opts;
  const key = inbound.conversationKey;
  let deleted = false;
  const outbox: NewOutboxMessage[] = [];
  const address = inbound.address;
  let replyIndex = 0;
  const eventId = randomUUID();
  for (const output of outputs) {
    if (output.type === "reply") {
      const message = output.message;
      if (message.type === "end") continue;
      if (message.type === "file" || message.type === "unsend") {
        // Evidence files go to officers only (OfficerService); a flow talks to the reporter and must
        // never make the sender read stored evidence by id for them. Only the engine withdraws messages.
        log.warn({ conversation: key, type: message.type }, "reply type not for flows dropped");
        continue;
      }
      // Only the latest message counts: a typed number means an option of a numbered menu only
      // while that menu is the last thing the user saw.
      if (message.choices?.length) state.offered = message.choices.map((c) => c.id);
      if (message.choices?.length && opts.channels[inbound.channel]?.numbersChoices(message)) {
        state.numbered = message.choices.map((c) => c.id);
      } else {
        delete state.numbered;
      }
      const target = address ?? (await storedAddress(tx, key, sealer));
      if (target === undefined) {
        log.warn({ conversation: key }, "reply without a reply address dropped");
        continue;
      }
      outbox.push(
        sealOutbox(
          sealer,
          {
            // Unique per event: a conversation deleted with /hapus and started again reuses its key
            // and restarts its version, so the version alone could collide with old outbox rows.
            idempotencyKey: `${key}:${eventId}:${replyIndex++}`,
            channel: inbound.channel,
            targetKey: key,
            ...(output.purpose ? { purpose: output.purpose } : {}),
          },
          { address: target, message: output.message },
        ),
      );
    } else if (output.type === "schedule" || output.type === "timer.cancel") {
      await writeTimer(tx, opts.jobs, inbound, output, state, now);
    } else if (output.type === "conversation.delete") {
      deleted = true;
    }
  }
  const pin = outputs.some((o) => o.type === "status.lookup");
  if (pin && inbound.messageRef && opts.channels[inbound.channel]?.unsend && address !== undefined) {
    outbox.unshift(withdrawal(opts, inbound, `${key}:${eventId}`, address));
    outbox.push(notice(opts, inbound, `${key}:${eventId}`, address, langOf(lang) ?? "id"));
  }
  return { outbox, deleted };
}

/** Withdraws the person's own message with the PIN they typed (a phone in other hands shows no PIN). */
function withdrawal(opts: EngineOptions, inbound: Inbound, id: string, address: unknown): NewOutboxMessage {
  return sealOutbox(
    opts.sealer,
    {
      idempotencyKey: `${id}:pin`,
      channel: inbound.channel,
      targetKey: inbound.conversationKey,
      purpose: "unsend",
    },
    { address, message: { type: "unsend", refs: [inbound.messageRef!] } },
  );
}

/** Says the PIN message was deleted, after the status (sent once the withdrawal has gone). */
function notice(
  opts: EngineOptions,
  inbound: Inbound,
  id: string,
  address: unknown,
  lang: Lang,
): NewOutboxMessage {
  return sealOutbox(
    opts.sealer,
    { idempotencyKey: `${id}:pin-notice`, channel: inbound.channel, targetKey: inbound.conversationKey },
    { address, message: { type: "text", text: t(lang, "status.pin_withdrawn") } },
  );
}

async function storedAddress(tx: Tx, key: string, sealer: Sealer): Promise<unknown> {
  const sealed = await findReplyAddress(tx, key);
  return sealed ? sealer.openJson(sealed, sealedAt.conversationAddress(key)) : undefined;
}

/**
 * `/hapus`: deletes everything tied to the conversation (see `deleteConversation`) and returns the
 * outbox rows to write after it: on a channel that can, a withdrawal of the bot's recent messages
 * (above all the code + PIN message), then this event's replies. They go to a fresh random target,
 * so nothing left in the outbox links back to the pseudonym.
 */
export async function forgetConversation(
  tx: Tx,
  opts: EngineOptions,
  inbound: Inbound,
  replies: readonly NewOutboxMessage[],
  now: Date,
): Promise<NewOutboxMessage[]> {
  const key = inbound.conversationKey;
  const unsend = opts.channels[inbound.channel]?.unsend;
  const refs = unsend ? await recentSentRefs(tx, key, new Date(now.getTime() - unsend.withinMs)) : [];
  const address =
    refs.length > 0 ? (inbound.address ?? (await storedAddress(tx, key, opts.sealer))) : undefined;
  await deleteConversation(tx, key);
  const gone = `gone:${randomUUID()}`;
  const out: NewOutboxMessage[] = [];
  if (address !== undefined) {
    out.push(
      sealOutbox(
        opts.sealer,
        { idempotencyKey: `${gone}:unsend`, channel: inbound.channel, targetKey: gone, purpose: "unsend" },
        { address, message: { type: "unsend", refs } },
      ),
    );
  }
  replies.forEach((m, i) => {
    // Each payload is bound to its row, so it is re-sealed for the fresh target.
    out.push(moveOutbox(opts.sealer, m, { idempotencyKey: `${gone}:${i}`, targetKey: gone }));
  });
  return out;
}
