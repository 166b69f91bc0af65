import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyLimit } from "../../src/bot/body-limit.ts";

/** A raw HTTP POST: `chunks` sent one by one; chunked unless a length is declared. */
function post(
  port: number,
  chunks: string[],
  declareLength: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/echo",
        method: "POST",
        headers: declareLength ? { "content-length": String(total) } : { "transfer-encoding": "chunked" },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The server may answer 413 and close before the whole body is written.
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe("the body limit", () => {
  let server: ServerType;
  let port = 0;
  let handled = 0;

  beforeAll(async () => {
    const app = new Hono();
    app.use("*", bodyLimit({ maxSize: 1000, onError: (c) => c.text("too large", 413) }));
    app.post("/echo", async (c) => {
      handled++;
      const body = (await c.req.json()) as { text: string };
      return c.text(`got ${body.text.length}`);
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads a body within the limit, declared or chunked", async () => {
    const json = JSON.stringify({ text: "halo ".repeat(20) });
    expect(await post(port, [json], true)).toEqual({ status: 200, body: "got 100" });
    expect(await post(port, [json.slice(0, 10), json.slice(10)], false)).toEqual({
      status: 200,
      body: "got 100",
    });
  });

  it("refuses a declared body over the limit before the handler runs", async () => {
    const before = handled;
    const res = await post(port, [JSON.stringify({ text: "x".repeat(2000) })], true);
    expect(res).toEqual({ status: 413, body: "too large" });
    expect(handled).toBe(before);
  });

  it("refuses a chunked body once it grows past the limit, before the handler runs", async () => {
    const before = handled;
    const res = await post(port, ['{"text":"', "x".repeat(600), "x".repeat(600), '"}'], false);
    expect(res).toEqual({ status: 413, body: "too large" });
    expect(handled).toBe(before);
  });

  it("counts a body built in process without a declared length (Hono's app.request)", async () => {
    const app = new Hono();
    app.use("*", bodyLimit({ maxSize: 10, onError: (c) => c.text("too large", 413) }));
    app.post("/x", async (c) => c.text(await c.req.text()));
    expect((await app.request("/x", { method: "POST", body: "x".repeat(11) })).status).toBe(413);
    expect(await (await app.request("/x", { method: "POST", body: "short" })).text()).toBe("short");
  });
});
