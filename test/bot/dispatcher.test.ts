import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelSender, Dispatcher } from "../../src/bot/dispatcher.ts";
import type { FlowEvent, OutboundMessage } from "../../src/flows/message.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { echoMachine } from "../helpers/echo-flow.ts";
import { createTestEngine, eventually, type TestEngine } from "../helpers/test-engine.ts";

const text = (t: string): FlowEvent => ({ type: "user.message", message: { type: "text", text: t } });

/** A sender that holds every send to `slowAddress` until `open()`; records the order of sends. */
class GatedSender implements ChannelSender {
  readonly sent: { address: unknown; message: OutboundMessage }[] = [];
  slowStarted = false;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  constructor(private readonly slowAddress: string) {}

  async send(address: unknown, message: OutboundMessage) {
    if (address === this.slowAddress) {
      this.slowStarted = true;
      await this.gate;
    }
    this.sent.push({ address, message });
    return { externalId: `ext-${this.sent.length}` };
  }

  open(): void {
    this.release();
  }
}

describe.each(databaseKinds())("dispatcher on %s", (kind) => {
  let db: TestDatabase;
  let h: TestEngine;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    h = await createTestEngine(db, echoMachine);
    // The outbox is filled by the real engine; this file's own dispatchers deliver it.
    await h.dispatcher.stop();
  });
  afterAll(async () => {
    await h?.stop();
    await db?.destroy();
  });

  /** A dispatcher of this file, sending console messages through `sender`. */
  const dispatcherFor = (sender: GatedSender) =>
    new Dispatcher({
      db,
      sealer: h.sealer,
      log: pino({ level: "silent" }),
      senders: { console: sender },
      pollMs: 50,
    });

  const statusOf = async (targetKey: string) =>
    (await prismaOf(db).outboxMessage.findMany({ where: { targetKey }, orderBy: { seq: "asc" } })).map(
      (m) => ({ status: m.status, externalId: m.externalId }),
    );

  it("marks a message sent right after its own send, while another send of the same round still runs", async () => {
    for (const key of ["fast", "slow"]) {
      await h.engine.handle({
        conversationKey: `k-${key}`,
        channel: "console",
        externalId: `m-${key}`,
        address: `a-${key}`,
        event: text(key),
      });
    }
    const sender = new GatedSender("a-slow");
    const dispatcher = dispatcherFor(sender);
    dispatcher.start();
    try {
      await eventually(async () => (await statusOf("k-fast"))[0]?.status === "sent");
      expect(sender.slowStarted).toBe(true);
      expect((await statusOf("k-fast"))[0]?.externalId).toBe("ext-1");
      expect((await statusOf("k-slow"))[0]?.status).toBe("sending");
      sender.open();
      await eventually(async () => (await statusOf("k-slow"))[0]?.status === "sent");
    } finally {
      sender.open();
      await dispatcher.stop();
    }
  });

  it("sends one person's messages in the order they were written, each marked before the next is claimed", async () => {
    for (let i = 0; i < 5; i++) {
      await h.engine.handle({
        conversationKey: "k-order",
        channel: "console",
        externalId: `m-order-${i}`,
        address: "a-order",
        event: text(`m${i}`),
      });
    }
    const sender = new GatedSender("none");
    const dispatcher = dispatcherFor(sender);
    dispatcher.start();
    try {
      await eventually(async () => (await statusOf("k-order")).every((m) => m.status === "sent"));
    } finally {
      await dispatcher.stop();
    }
    const texts = sender.sent
      .filter((s) => s.address === "a-order")
      .map((s) => (s.message.type === "text" ? s.message.text : ""));
    expect(texts).toEqual(["#1 m0", "#2 m1", "#3 m2", "#4 m3", "#5 m4"]);
  });
});
