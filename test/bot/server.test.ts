import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../src/bot/metrics.ts";
import { createServer } from "../../src/bot/server.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

describe("server", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("reports ready only when every expected migration is applied", async () => {
    const ready = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 1,
    });
    expect((await ready.request("/readyz")).status).toBe(200);
    const behind = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 99,
    });
    const res = await behind.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "migrating" });
  });

  it("is not ready until every channel has started", async () => {
    let started = false;
    const app = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 1,
      started: () => started,
    });
    const starting = await app.request("/readyz");
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ status: "starting" });
    started = true;
    expect((await app.request("/readyz")).status).toBe(200);
  });

  it("refuses an oversized body with 413 and answers unknown paths with 404", async () => {
    const app = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 1,
    });
    app.post("/echo", async (c) => c.text(String((await c.req.text()).length)));
    const big = await app.request("/echo", { method: "POST", body: "x".repeat(3 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await app.request("/nope")).status).toBe(404);
  });

  it("serves Prometheus metrics", async () => {
    const app = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 1,
    });
    const res = await app.request("/metrics");
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    expect(await res.text()).toContain("suara_outbox_total");
  });

  it("serves metrics only with the bearer token when METRICS_TOKEN is set", async () => {
    const token = "fake-metrics-token-0123456789abcdef0123";
    for (const production of [false, true]) {
      const app = createServer({
        db,
        metrics: new Metrics(),
        log: pino({ level: "silent" }),
        expectedMigrations: 1,
        metricsToken: token,
        production,
      });
      expect((await app.request("/metrics")).status).toBe(401);
      const wrong = await app.request("/metrics", { headers: { authorization: "Bearer not-the-token" } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain("suara_");
      const right = await app.request("/metrics", { headers: { authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain("suara_outbox_total");
    }
  });

  it("does not serve metrics in production without a token", async () => {
    const app = createServer({
      db,
      metrics: new Metrics(),
      log: pino({ level: "silent" }),
      expectedMigrations: 1,
      production: true,
    });
    const res = await app.request("/metrics");
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("suara_");
    expect((await app.request("/healthz")).status).toBe(200);
  });
});
