import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleChannel } from "../../src/bot/channels/console/console-channel.ts";
import { type Service, startService } from "../../src/bot/service.ts";
import { loadConfig } from "../../src/config.ts";
import type { OutboundMessage } from "../../src/flows/message.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { echoMachine } from "../helpers/echo-flow.ts";
import { eventually } from "../helpers/test-engine.ts";

describe("service", () => {
  let db: TestDatabase;
  let svc: Service;
  const printed: OutboundMessage[] = [];

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    svc = await startService({
      config: loadConfig({ PORT: "0" }),
      log: pino({ level: "silent" }),
      keys: { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) },
      db,
      listen: false,
      channels: [() => createConsoleChannel((m) => printed.push(m))],
    });
  });
  afterAll(async () => {
    await svc?.close();
    await db?.destroy();
  });

  it("runs the real flow through engine and outbox and counts it in the metrics", async () => {
    await svc.engine.handle({
      conversationKey: "k-svc",
      channel: "console",
      address: { session: "t" },
      event: { type: "user.message", message: { type: "command", command: "start" } },
    });
    await eventually(() => printed.length > 0);
    expect(printed[0]).toMatchObject({
      type: "text",
      choices: [{ id: "language:id" }, { id: "language:en" }],
    });
    const metrics = await (await svc.app.request("/metrics")).text();
    expect(metrics).toContain('suara_inbound_total{channel="console",outcome="applied"} 1');
    expect(metrics).toMatch(/suara_outbox_total\{result="sent"\} \d/);
  });
});

describe("service wiring", () => {
  let db: TestDatabase;
  let svc: Service;
  const printed: OutboundMessage[] = [];
  const seen: { conversationKey: string; report: unknown }[] = [];

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    svc = await startService({
      config: loadConfig({ PORT: "0" }),
      log: pino({ level: "silent" }),
      keys: { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) },
      db,
      listen: false,
      flow: { id: "echo", version: 1, machine: echoMachine },
      channels: [() => createConsoleChannel((m) => printed.push(m))],
      plugins: [
        () => ({
          effects: {
            async "report.submitted"(_tx, ctx, output) {
              seen.push({ conversationKey: ctx.conversationKey, report: output.report });
              return { type: "report.stored", code: "TPPO-WIRE-TEST", pin: "000000" };
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await svc?.close();
    await db?.destroy();
  });

  it("uses the effect handler a plugin registers at wiring instead of the case service's", async () => {
    expect(
      await svc.engine.handle({
        conversationKey: "k-wired",
        channel: "console",
        address: { session: "w" },
        event: { type: "user.message", message: { type: "text", text: "submit" } },
      }),
    ).toBe("applied");
    await eventually(() => printed.length > 0);
    expect(printed).toEqual([{ type: "text", text: "stored TPPO-WIRE-TEST" }]);
    expect(seen).toEqual([{ conversationKey: "k-wired", report: { fake: true } }]);
    expect(await prismaOf(db).report.count()).toBe(0);
  });
});
