import { createHmac, randomBytes } from "node:crypto";
import pino from "pino";
import { expect } from "vitest";
import { checkWhatsAppLimits } from "../../src/bot/channels/whatsapp/send-schema.ts";
import { storedMessageId } from "../../src/bot/channels/whatsapp/stored-id.ts";
import { whatsAppChannel } from "../../src/bot/channels/whatsapp/whatsapp-channel.ts";
import type { FlowDefinition } from "../../src/bot/engine.ts";
import { type Service, startService } from "../../src/bot/service.ts";
import { loadConfig } from "../../src/config.ts";
import { pseudonym } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases.ts";
import { type FakeGraph, startFakeGraph } from "./fake-graph.ts";
import { eventually } from "./test-engine.ts";

export const PHONE_NUMBER_ID = "100000000000001";

/** A sent Graph body, as the fake recorded it (with `to`). */
export type SentBody = Record<string, unknown> & { to?: string; type?: string };

export interface WhatsAppTestService {
  svc: Service;
  graph: FakeGraph;
  db: TestDatabase;
  appSecret: string;
  verifyToken: string;
  url(path: string): string;
  /** Conversation key of a WhatsApp number, as the service computes it. */
  keyOf(waId: string): string;
  /** How the service stores a wamid (a keyed hash), and the fake Graph wamid behind a stored one. */
  storedId(wamid: string): string;
  rawWamid(stored: string): string | undefined;
  /** POSTs `body` (object, string or bytes) to the webhook, signed with the app secret unless told. */
  post(body: unknown, opts?: { signature?: string | null }): Promise<Response>;
  /** Delivers one inbound message from `waId`; returns its wamid after a 200. */
  deliver(waId: string, message: Record<string, unknown>, wamid?: string): Promise<string>;
  text(waId: string, text: string): Promise<string>;
  /** Taps an offered button or list row; fails unless the last interactive message offered `id`. */
  pick(waId: string, id: string): Promise<string>;
  /** Waits until nothing for `waId` is pending in the outbox; returns the bodies sent since the last call. */
  settle(waId: string): Promise<SentBody[]>;
  /** Every body sent to `waId` so far. */
  sentTo(waId: string): SentBody[];
  close(): Promise<void>;
}

let counter = 0;

/** A fresh WhatsApp number for one test. */
export function newWaId(): string {
  counter += 1;
  return `62812${String(Date.now() % 1_000_000).padStart(6, "0")}${String(counter).padStart(2, "0")}`;
}

/**
 * The real service (`startService`) with only the WhatsApp channel, on a fresh test database, listening
 * on a free port, with the Graph API pointed at a local fake that records calls.
 */
export async function startWhatsAppService(
  kind: TestDatabaseKind,
  opts: { template?: string; checkinTemplate?: string; flow?: FlowDefinition; now?: () => Date } = {},
): Promise<WhatsAppTestService> {
  const graph = await startFakeGraph({ token: "wa-test-token" });
  const db = await openTestDatabase(kind);
  const appSecret = randomBytes(16).toString("hex");
  const verifyToken = randomBytes(8).toString("hex");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    WHATSAPP_ACCESS_TOKEN: graph.token,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: verifyToken,
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    ...(opts.template ? { WHATSAPP_TEMPLATE_FOLLOWUP: opts.template } : {}),
    ...(opts.checkinTemplate ? { WHATSAPP_TEMPLATE_CHECKIN: opts.checkinTemplate } : {}),
  });
  const svc = await startService({
    config,
    log: pino({ level: "silent" }),
    keys: { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) },
    db,
    channels: [whatsAppChannel({ mediaTimeoutMs: 5000 })],
    jobPollSeconds: 0.5,
    ...(opts.flow ? { flow: opts.flow } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const base = `http://127.0.0.1:${svc.port}`;
  const cursors = new Map<string, number>();
  let nextWamid = 0;

  const sentTo = (waId: string) => graph.sentMessages().filter((b) => b.to === waId) as SentBody[];

  const post = async (body: unknown, o: { signature?: string | null } = {}) => {
    const bytes =
      body instanceof Uint8Array
        ? body
        : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
    const signature =
      o.signature === undefined
        ? `sha256=${createHmac("sha256", appSecret).update(bytes).digest("hex")}`
        : o.signature;
    return fetch(`${base}/whatsapp/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature !== null ? { "x-hub-signature-256": signature } : {}),
      },
      body: bytes,
    });
  };

  const deliver = async (waId: string, message: Record<string, unknown>, wamid?: string) => {
    nextWamid += 1;
    const id = wamid ?? `wamid.in-${Date.now()}-${nextWamid}`;
    const res = await post(messageDelivery(waId, { ...message, id }));
    expect(res.status).toBe(200);
    return id;
  };

  const t: WhatsAppTestService = {
    svc,
    graph,
    db,
    appSecret,
    verifyToken,
    url: (path) => `${base}${path}`,
    keyOf: (waId) => pseudonym(svc.keys.pseudonymKey, "whatsapp", waId),
    storedId: (wamid) => storedMessageId(svc.keys.pseudonymKey, wamid),
    rawWamid(stored) {
      for (let n = 1; n <= 10_000; n++) {
        if (storedMessageId(svc.keys.pseudonymKey, `wamid.fake-${n}`) === stored) return `wamid.fake-${n}`;
      }
      return undefined;
    },
    post,
    deliver,
    text: (waId, text) => deliver(waId, { type: "text", text: { body: text } }),
    async pick(waId, id) {
      const last = sentTo(waId)
        .filter((b) => b.type === "interactive")
        .at(-1);
      const offered = last ? offeredIds(last) : [];
      expect(offered, `"${id}" should be offered`).toContain(id);
      const kind = (last?.interactive as { type?: string } | undefined)?.type;
      const interactive =
        kind === "list"
          ? { type: "list_reply", list_reply: { id, title: "x" } }
          : { type: "button_reply", button_reply: { id, title: "x" } };
      return deliver(waId, { type: "interactive", interactive });
    },
    async settle(waId) {
      const key = pseudonym(svc.keys.pseudonymKey, "whatsapp", waId);
      await eventually(
        async () =>
          (await prismaOf(db).outboxMessage.count({
            where: { targetKey: key, status: { in: ["pending", "sending"] } },
          })) === 0,
        10_000,
      );
      const all = sentTo(waId);
      const from = cursors.get(waId) ?? 0;
      cursors.set(waId, all.length);
      const fresh = all.slice(from);
      for (const body of fresh) expect(checkWhatsAppLimits(body), JSON.stringify(body)).toEqual([]);
      return fresh;
    },
    sentTo,
    async close() {
      await svc.close();
      await db.destroy();
      await graph.close();
    },
  };
  return t;
}

/** A signed-webhook body carrying one message from `waId` (with a profile name, as Meta sends it). */
export function messageDelivery(waId: string, message: Record<string, unknown>): unknown {
  return delivery({
    contacts: [{ profile: { name: "Test User" }, wa_id: waId }],
    messages: [{ from: waId, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
}

/** A webhook body carrying one delivery status of a message we sent. */
export function statusDelivery(
  wamid: string,
  waId: string,
  status: string,
  errorCodes: number[] = [],
): unknown {
  return delivery({
    statuses: [
      {
        id: wamid,
        status,
        recipient_id: waId,
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...(errorCodes.length ? { errors: errorCodes.map((code) => ({ code, title: "error" })) } : {}),
      },
    ],
  });
}

function delivery(value: Record<string, unknown>): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "200000000000001",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "620000000000", phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** Option ids of an interactive send (reply buttons or list rows). */
export function offeredIds(body: SentBody): string[] {
  const interactive = body.interactive as
    | {
        action?: {
          buttons?: { reply: { id: string } }[];
          sections?: { rows: { id: string }[] }[];
        };
      }
    | undefined;
  const buttons = interactive?.action?.buttons?.map((b) => b.reply.id) ?? [];
  const rows = interactive?.action?.sections?.flatMap((s) => s.rows.map((r) => r.id)) ?? [];
  return [...buttons, ...rows];
}

/** The visible text of a sent body (text body or interactive body). */
export function bodyText(body: SentBody): string {
  const text = (body.text as { body?: string } | undefined)?.body;
  const interactive = (body.interactive as { body?: { text?: string } } | undefined)?.body?.text;
  return text ?? interactive ?? "";
}
