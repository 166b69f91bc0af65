import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { eventually } from "../../../helpers/test-engine.ts";
import { startWebService, type WebService } from "../../../helpers/web-service.ts";

type Item = { seq: number; message: { type: string; text?: string; choices?: { id: string }[] } };

describe.each(databaseKinds())("web chat API (%s)", (kind) => {
  let web: WebService;
  beforeAll(async () => {
    web = await startWebService(kind);
  });
  afterAll(async () => {
    await web?.close();
  });

  const call = (path: string, init: RequestInit & { session?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.session) headers.set("X-Session", init.session);
    return fetch(`${web.url}${path}`, { method: "POST", ...init, headers });
  };
  const newSession = async () => ((await (await call("/api/session")).json()) as { session: string }).session;
  const sendJson = (session: string, body: unknown) =>
    call("/api/send", {
      session,
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
  const messages = async (session: string, after = 0) =>
    (
      (await (await call(`/api/messages?after=${after}`, { method: "GET", session })).json()) as {
        messages: Item[];
      }
    ).messages;
  /** Everything an event stream sends within `ms`, reconnecting after `lastId`. */
  const readStream = async (session: string, lastId: number, ms: number) => {
    const abort = new AbortController();
    const res = await fetch(`${web.url}/api/events`, {
      headers: { "X-Session": session, "Last-Event-ID": String(lastId) },
      signal: abort.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    setTimeout(() => abort.abort(), ms);
    let text = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
    } catch {
      // aborted after `ms`
    }
    return text;
  };
  const stored = async () => {
    const p = prismaOf(web.db);
    return {
      conversations: await p.conversation.count(),
      receipts: await p.inboundReceipt.count(),
      outbox: await p.outboxMessage.count(),
      evidence: await p.evidence.count(),
    };
  };

  it("serves a small page with strict headers and no inline script", async () => {
    const res = await fetch(`${web.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))/);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    const assets = await Promise.all(
      ["/chat.js", "/chat.css"].map(async (p) => (await fetch(`${web.url}${p}`)).text()),
    );
    const compressed = gzipSync(Buffer.from(html + assets.join(""))).byteLength;
    expect(compressed).toBeLessThan(60 * 1024);
  });

  it("refuses a session it did not issue, bad JSON and a huge text with a clear 4xx, storing nothing", async () => {
    const before = await stored();
    const made = await sendJson("AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB", {
      id: "abcdefgh",
      text: "halo",
    });
    expect(made.status).toBe(401);
    expect(await made.json()).toEqual({ error: "unknown session" });
    expect((await call("/api/send", { body: "{}" })).status).toBe(401);
    const session = await newSession();
    const bad = await call("/api/send", {
      session,
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect((await sendJson(session, { id: "abcdefgh", text: "halo", extra: 1 })).status).toBe(400);
    expect((await sendJson(session, { id: "abcdefgh", text: "x".repeat(5000) })).status).toBe(413);
    expect((await sendJson(session, { id: "abcdefgh", text: "x".repeat(20_000) })).status).toBe(413);
    expect((await call("/api/ack", { session, body: '{"seq":"1"}' })).status).toBe(400);
    const upload = await call("/api/upload", { session, body: new Uint8Array(8) });
    expect(upload.status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it("runs the flow: replies wait in the outbox until acknowledged, a resent message applies once", async () => {
    const session = await newSession();
    const first = await sendJson(session, { id: "msg-00000001", text: "halo" });
    expect(await first.json()).toEqual({ ok: true, outcome: "applied" });
    const replies = await messages(session);
    expect(replies.map((m) => m.message.text).join("\n")).toContain("Suara Aman bukan polisi");
    expect(replies.at(-1)?.message.choices?.map((c) => c.id)).toContain("menu:report");
    await eventually(
      async () => (await prismaOf(web.db).outboxMessage.count({ where: { status: "held" } })) > 0,
    );
    const again = await sendJson(session, { id: "msg-00000001", text: "halo" });
    expect(await again.json()).toEqual({ ok: true, outcome: "duplicate" });
    expect(await messages(session)).toHaveLength(replies.length);

    const last = replies.at(-1)!.seq;
    expect((await call("/api/ack", { session, body: JSON.stringify({ seq: last }) })).status).toBe(200);
    expect(await messages(session)).toEqual([]);
    const rows = await prismaOf(web.db).outboxMessage.findMany({
      where: { channel: "web" },
      select: { status: true },
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === "sent")).toBe(true);

    await sendJson(session, { id: "msg-00000002", choice: "menu:report" });
    const next = await messages(session, last);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((m) => m.seq > last)).toBe(true);
  });

  it("streams replies as Server-Sent Events and resumes after the last event id", async () => {
    const session = await newSession();
    const abort = new AbortController();
    const res = await fetch(`${web.url}/api/events`, {
      headers: { "X-Session": session },
      signal: abort.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    await sendJson(session, { id: "sse-00000001", text: "halo" });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("menu:report")) text += (await reader.read()).value ?? "";
    abort.abort();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(0);
    // A reconnect after the last id repeats nothing; one after an earlier id sends only what followed it.
    expect(await readStream(session, ids.at(-1)!, 1000)).not.toMatch(/^event: message$/m);
    const tail = await readStream(session, ids.at(-2) ?? 0, 1000);
    expect([...tail.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([ids.at(-1)]);
  });

  it("forgets the conversation on quick exit, and the logs carry neither the session nor the address", async () => {
    const session = await newSession();
    await sendJson(session, { id: "bye-00000001", text: "halo" });
    const key = web.svc.inbound.keyOf("web", session);
    expect(await prismaOf(web.db).conversation.count({ where: { key } })).toBe(1);
    expect((await call("/api/forget", { session })).status).toBe(204);
    expect(await prismaOf(web.db).conversation.count({ where: { key } })).toBe(0);
    expect(await prismaOf(web.db).outboxMessage.count({ where: { targetKey: key } })).toBe(0);
    expect(await prismaOf(web.db).inboundReceipt.count({ where: { conversationKey: key } })).toBe(0);
    const logs = web.logs.join("");
    expect(logs).toContain(key);
    expect(logs).not.toContain(session.split(".")[0]);
    expect(logs).not.toContain("127.0.0.1");
  });
});
