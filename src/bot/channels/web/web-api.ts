import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import {
  type Command,
  commandSchema,
  type InboundMessage,
  MAX_INBOUND_TEXT,
  type OutboundMessage,
} from "../../../flows/message.ts";
import type { Sealer } from "../../../storage/crypto.ts";
import type { Database } from "../../../storage/database.ts";
import { markDead } from "../../../storage/outbox.ts";
import { acknowledgeOutbox, collectOutbox, forgetConversation } from "../../../storage/web-outbox.ts";
import { bodyLimit } from "../../body-limit.ts";
import { EVIDENCE_MAX_BYTES } from "../../evidence.ts";
import type { Candidate, Inbound, InboundChannel } from "../../inbound.ts";
import { tryOpenOutbox } from "../../outbox-payload.ts";
import { commandForWord } from "../command-aliases.ts";
import { RateLimit } from "./rate-limit.ts";
import { isSessionToken, newSessionToken } from "./web-session.ts";

export const WEB = "web";
const CHANNEL: InboundChannel = { name: WEB, perConversationIds: true };
/** The reply address of every web conversation: messages wait in the outbox, keyed by the pseudonym. */
const ADDRESS = { channel: WEB };

export interface WebApiDeps {
  inbound: Inbound;
  db: Database;
  sealer: Sealer;
  pseudonymKey: Buffer;
  /** Resolves on the next message for `key` (or after `ms`, or when `signal` aborts). */
  wait(key: string, ms: number, signal: AbortSignal): Promise<void>;
  /** Something was written for `key`: wake its open streams. */
  notify(key: string): void;
}

const messageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const sendSchema = z.strictObject({
  id: messageId,
  text: z.string().trim().min(1).optional(),
  choice: z.string().min(1).max(200).optional(),
  command: commandSchema.optional(),
});

/**
 * The web chat's JSON API. Every call but `POST /api/session` carries the session token in the
 * `X-Session` header (never in a URL); a token this server did not issue gets 401 and nothing is
 * written. Client addresses are used only in memory, for rate limits.
 */
export function mountWebApi(app: Hono, deps: WebApiDeps): void {
  const { inbound, db, sealer } = deps;
  // Generous: many people may share one address (a Tor exit, a carrier's NAT).
  const perClient = new RateLimit(600, 60_000);
  const newSessions = new RateLimit(60, 60_000);
  const fail = (c: Context, status: 400 | 401 | 404 | 413 | 429, error: string) => c.json({ error }, status);
  const keyOf = (c: Context): string | undefined => {
    const token = c.req.header("x-session");
    return isSessionToken(deps.pseudonymKey, token) ? inbound.keyOf(WEB, token) : undefined;
  };
  const receive = async (c: Context, candidate: Candidate) => {
    const token = c.req.header("x-session") as string;
    const outcome = await inbound.receive(CHANNEL, { id: token, address: ADDRESS }, candidate);
    deps.notify(inbound.keyOf(WEB, token));
    return c.json({ ok: true, outcome });
  };

  app.use("/api/*", async (c, next) => {
    if (!perClient.take(clientOf(c))) return fail(c, 429, "too many requests");
    if (c.req.path !== "/api/session" && !keyOf(c)) return fail(c, 401, "unknown session");
    await next();
  });
  const smallJson = bodyLimit({ maxSize: 16 * 1024, onError: (c) => fail(c, 413, "body too large") });

  app.post("/api/session", (c) => {
    if (!newSessions.take(clientOf(c))) return fail(c, 429, "too many requests");
    return c.json({ session: newSessionToken(deps.pseudonymKey) }, 201);
  });

  app.post("/api/send", smallJson, async (c) => {
    const parsed = sendSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return fail(c, 400, "expected JSON {id, text | choice | command}");
    const { id, text, choice, command } = parsed.data;
    if (text !== undefined && text.length > MAX_INBOUND_TEXT) return fail(c, 413, "text too long");
    const message = toMessage(text, choice, command);
    if (!message) return fail(c, 400, "expected one of text, choice or command");
    return receive(c, { externalId: id, message });
  });

  app.post(
    "/api/upload",
    bodyLimit({ maxSize: EVIDENCE_MAX_BYTES, onError: (c) => fail(c, 413, "file too large") }),
    async (c) => {
      const id = messageId.safeParse(c.req.header("x-message-id"));
      if (!id.success) return fail(c, 400, "expected an X-Message-Id header");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) return fail(c, 400, "empty file");
      const mime = c.req.header("content-type");
      return receive(c, { externalId: id.data, media: async () => ({ ok: true, bytes, mime }) });
    },
  );

  app.post("/api/resume", (c) => receive(c, { resume: true }));

  app.post("/api/ack", smallJson, async (c) => {
    const body = z
      .strictObject({ seq: z.number().int().nonnegative() })
      .safeParse(await c.req.json().catch(() => 0));
    if (!body.success) return fail(c, 400, "expected JSON {seq}");
    await acknowledgeOutbox(db, WEB, keyOf(c)!, body.data.seq);
    return c.json({ ok: true });
  });

  app.post("/api/forget", async (c) => {
    const key = keyOf(c)!;
    await inbound.inTurn(key, () => forgetConversation(db, WEB, key));
    return c.body(null, 204);
  });

  /**
   * The messages for `key` after `after`. A payload that does not open at its row (copied there
   * from another, or altered; the sealer logs its place) is never shown: it is dead-lettered, so
   * the stream moves past it instead of failing on it again.
   */
  const collect = async (key: string, after: number) => {
    const out: { seq: number; message: OutboundMessage }[] = [];
    for (const m of await collectOutbox(db, WEB, key, after)) {
      const payload = tryOpenOutbox(sealer, m);
      if (payload) out.push({ seq: m.seq, message: payload.message });
      else await markDead(db, m.id, "unreadable payload: does not open at this row");
    }
    return out;
  };

  /** Polling fallback: the messages after `?after=`. */
  app.get("/api/messages", async (c) =>
    c.json({ messages: await collect(keyOf(c)!, cursor(c.req.query("after"))) }),
  );

  /** Server-Sent Events: each message once, `id` its place; a reconnect sends `Last-Event-ID`. */
  app.get("/api/events", (c) => {
    const key = keyOf(c)!;
    let after = cursor(c.req.header("last-event-id") ?? c.req.query("after"));
    const signal = c.req.raw.signal;
    return streamSSE(c, async (stream) => {
      while (!signal.aborted && !stream.aborted) {
        const woken = deps.wait(key, 20_000, signal);
        const messages = await collect(key, after);
        for (const m of messages) {
          await stream.writeSSE({ id: String(m.seq), event: "message", data: JSON.stringify(m) });
          after = m.seq;
        }
        if (messages.length === 0) {
          await woken;
          if (!signal.aborted) await stream.writeSSE({ event: "ping", data: "" });
        }
      }
    });
  });
}

/** A typed line, a pressed button or a command as the flow's message. */
function toMessage(text?: string, choice?: string, command?: Command): InboundMessage | undefined {
  if ([text, choice, command].filter((v) => v !== undefined).length !== 1) return undefined;
  if (command) return { type: "command", command };
  if (choice) return { type: "choice", id: choice };
  const slash = /^\/([a-z]+)$/i.exec(text!);
  const known = slash?.[1] ? commandForWord(slash[1]) : undefined;
  return known ? { type: "command", command: known } : { type: "text", text: text! };
}

function cursor(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** The client's address, for the in-memory rate limit only. */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "local";
  } catch {
    return "local";
  }
}
