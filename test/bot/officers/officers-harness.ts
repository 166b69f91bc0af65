import { randomBytes } from "node:crypto";
import pino from "pino";
import type { Channel } from "../../../src/bot/channel.ts";
import type { OutboxPayload } from "../../../src/bot/engine.ts";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import type { OfficerGateway, OfficerInbound } from "../../../src/bot/officers/officer-gateway.ts";
import { officersPlugin } from "../../../src/bot/officers/officers-plugin.ts";
import { openOutbox } from "../../../src/bot/outbox-payload.ts";
import { type Service, startService } from "../../../src/bot/service.ts";
import { loadConfig } from "../../../src/config.ts";
import type { InboundMessage, OutboundMessage } from "../../../src/flows/message.ts";
import { pseudonym } from "../../../src/storage/crypto.ts";
import type { Database } from "../../../src/storage/database.ts";
import type { Keys } from "../../../src/storage/keys.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";

export const CONTACTS_FIXTURE = "test/fixtures/contacts/escalation.yaml";
export const REPORTER_CHAT = 777000111;
export const OFF1_CHAT = 900000001;
export const OFF2_CHAT = 900000002;

/** One message a fake channel was asked to deliver, with when it arrived. */
export type Delivery = {
  channel: string;
  address: Record<string, unknown>;
  message: OutboundMessage;
  at: number;
};

/** Records deliveries of every fake channel (shared across service restarts). */
export class Deliveries {
  readonly all: Delivery[] = [];
  to(address: Record<string, unknown>): Delivery[] {
    return this.all.filter((d) => JSON.stringify(d.address) === JSON.stringify(address));
  }
  texts(address: Record<string, unknown>): string[] {
    return this.to(address).map((d) =>
      d.message.type === "end" || d.message.type === "unsend"
        ? `<${d.message.type}>`
        : d.message.type === "file"
          ? "[file]"
          : d.message.text,
    );
  }
}

/** A recording stand-in for a channel adapter, named like the real one so outbox rows route to it. */
function fakeChannel(name: string, deliveries: Deliveries, onGateway: (g: OfficerGateway) => void) {
  return (ctx: { officers: OfficerGateway }): Channel => {
    onGateway(ctx.officers);
    return {
      name,
      profile: { numbersChoices: () => false },
      sender: {
        async send(address, message) {
          deliveries.all.push({
            channel: name,
            address: address as Record<string, unknown>,
            message,
            at: Date.now(),
          });
          return { externalId: `x-${deliveries.all.length}` };
        },
      },
    };
  };
}

export interface Harness {
  svc: Service;
  gateway: OfficerGateway;
  keys: Keys;
  deliveries: Deliveries;
}

/** The real service with the officers plugin on `db`, fake Telegram and WhatsApp senders. */
export async function startHarness(
  db: Database,
  opts: { keys?: Keys; deliveries?: Deliveries; contactsFile?: string } = {},
): Promise<Harness> {
  const keys = opts.keys ?? { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) };
  const deliveries = opts.deliveries ?? new Deliveries();
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    CONTACTS_FILE: opts.contactsFile ?? CONTACTS_FIXTURE,
  });
  let gateway: OfficerGateway | undefined;
  const svc = await startService({
    config,
    log: pino({ level: "silent" }),
    keys,
    db,
    listen: false,
    jobPollSeconds: 0.5,
    plugins: [officersPlugin({ contacts: loadContacts(config.CONTACTS_FILE) })],
    channels: [
      fakeChannel("telegram", deliveries, (g) => {
        gateway = g;
      }),
      fakeChannel("whatsapp", deliveries, () => {}),
    ],
  });
  return { svc, gateway: gateway!, keys, deliveries };
}

/** A reporter in a private Telegram chat, driving the real flows through the engine. */
export function reporter(h: Harness, chatId = REPORTER_CHAT) {
  const conversationKey = pseudonym(h.keys.pseudonymKey, "telegram", chatId);
  let n = 0;
  const send = (message: InboundMessage) =>
    h.svc.engine.handle({
      conversationKey,
      channel: "telegram",
      externalId: `r:${chatId}:${++n}:${randomBytes(3).toString("hex")}`,
      address: { chatId },
      event: { type: "user.message", message },
    });
  return {
    conversationKey,
    send,
    text: (text: string) => send({ type: "text", text }),
    choose: (id: string) => send({ type: "choice", id }),
    command: (command: "status" | "menu") => send({ type: "command", command }),
    /** From first contact to the review of a report with danger now (critical), consenting to contact. */
    async fillCriticalReport(): Promise<void> {
      await send({ type: "command", command: "start" });
      for (const step of [
        () => this.choose("language:id"),
        () => this.choose("menu:report"),
        () => this.choose("report.situation:scam_compound"),
        () => this.text("Kamboja"),
        () => this.text("Phnom Penh"),
        () => this.choose("report.location:skip"),
        () => this.choose("report.when:now"),
        () => this.choose("report.people:two_five"),
        () => this.choose("report.minors:no"),
        () => this.choose("report.danger:yes"),
        () => this.choose("report.confined:yes"),
        () => this.choose("report.passport:yes"),
        () => this.choose("report.forced:no"),
        () => this.choose("report.departure:no"),
        () => this.text("Adik saya tidak boleh keluar dari kantor."),
        () => this.choose("report.narrative:done"),
        () => this.text("PT Contoh Jaya"),
        () => this.choose("report.evidence:skip"),
        () => this.choose("report.consent:yes"),
      ]) {
        await step();
      }
    },
  };
}

/** An officer (or anyone) writing to the bot through the gateway, as a channel adapter would. */
export function officerMessage(
  chatId: number,
  input: { text?: string; buttonId?: string; senderId?: string; isGroup?: boolean },
): OfficerInbound {
  return {
    address: { channel: "telegram", chatId },
    senderId: input.senderId ?? String(chatId),
    externalId: `u:${randomBytes(6).toString("hex")}`,
    isGroup: input.isGroup ?? false,
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.buttonId !== undefined ? { buttonId: input.buttonId } : {}),
  };
}

/** Every outbox payload, opened, with its purpose. */
export async function outboxPayloads(h: Harness): Promise<(OutboxPayload & { purpose: string })[]> {
  const rows = await prismaOf(h.svc.db).outboxMessage.findMany({ orderBy: { seq: "asc" } });
  return rows.map((r) => ({ ...openOutbox(h.svc.sealer, r), purpose: r.purpose }));
}

/** Waits until `check` passes or `timeoutMs` elapses. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
