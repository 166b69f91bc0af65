import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowEvent } from "../../src/flows/message.ts";
import { sealedAt } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { echoMachine } from "../helpers/echo-flow.ts";
import { createTestEngine, eventually, noCases, type TestEngine } from "../helpers/test-engine.ts";

const text = (t: string): FlowEvent => ({ type: "user.message", message: { type: "text", text: t } });

describe.each(databaseKinds())("engine on %s", (kind) => {
  let db: TestDatabase;
  let h: TestEngine;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    h = await createTestEngine(db, echoMachine);
  });
  afterAll(async () => {
    await h?.stop();
    await db?.destroy();
  });

  const repliesTo = (address: string) => h.sender.sent.filter((s) => s.address === address);

  it("applies the same inbound delivered twice only once and replies once", async () => {
    const inbound = {
      conversationKey: "k-dup",
      channel: "console",
      externalId: "m-1",
      address: "a-dup",
      event: text("hello"),
    };
    const outcomes = await Promise.all([h.engine.handle(inbound), h.engine.handle(inbound)]);
    expect(outcomes.sort()).toEqual(["applied", "duplicate"]);
    expect(await h.engine.handle(inbound)).toBe("duplicate");
    await eventually(() => repliesTo("a-dup").length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(repliesTo("a-dup").map((s) => s.message)).toEqual([{ type: "text", text: "#1 hello" }]);
    const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-dup" } });
    expect(row.version).toBe(1);
  });

  it("applies 20 concurrent events of one conversation one at a time in arrival order", async () => {
    const events = Array.from({ length: 20 }, (_, i) =>
      h.engine.handle({
        conversationKey: "k-burst",
        channel: "console",
        externalId: `burst-${i}`,
        address: "a-burst",
        event: text(`m${i}`),
      }),
    );
    expect(await Promise.all(events)).toEqual(Array(20).fill("applied"));
    await eventually(() => repliesTo("a-burst").length === 20);
    const texts = repliesTo("a-burst").map((s) => (s.message.type === "text" ? s.message.text : ""));
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `#${i + 1} m${i}`));
    const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-burst" } });
    expect(row.version).toBe(20);
    const snapshot = h.sealer.openJson<{ context: { count: number; seen: string[] } }>(
      row.snapshotSealed!,
      sealedAt.conversationSnapshot(row.key),
    );
    expect(snapshot.context.count).toBe(20);
    expect(snapshot.context.seen).toHaveLength(20);
  });

  it("stores no raw address, text or snapshot in plain form", async () => {
    await h.engine.handle({
      conversationKey: "k-private",
      channel: "console",
      externalId: "p-1",
      address: "secret-address-12345",
      event: text("my secret story"),
    });
    const rows = await prismaOf(db).$queryRawUnsafe<Record<string, unknown>[]>(
      "SELECT encode(snapshot_sealed, 'escape') AS s, encode(address_sealed, 'escape') AS a FROM conversation WHERE key = 'k-private'",
    );
    const outbox = await prismaOf(db).$queryRawUnsafe<Record<string, unknown>[]>(
      "SELECT encode(payload_sealed, 'escape') AS p FROM outbox_message WHERE target_key = 'k-private'",
    );
    const dump = JSON.stringify([rows, outbox]);
    expect(dump).not.toContain("secret-address-12345");
    expect(dump).not.toContain("my secret story");
    expect(rows).toHaveLength(1);
  });

  it("fires a durable timer once and ignores a stale token", async () => {
    await h.engine.handle({
      conversationKey: "k-timer",
      channel: "console",
      address: "a-timer",
      event: text("timer"),
    });
    await eventually(
      () => repliesTo("a-timer").some((s) => s.message.type === "text" && s.message.text === "timer fired"),
      15_000,
    );
    expect(
      await h.engine.handle({
        conversationKey: "k-timer",
        channel: "console",
        event: { type: "timer.fired", name: "ping", token: "t-stale" },
      }),
    ).toBe("applied");
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo("a-timer").map((s) => (s.message.type === "text" ? s.message.text : ""))).toEqual([
      "timer set",
      "timer fired",
    ]);
  });

  it("keeps named timers apart: a cancelled one never fires, the other fires once, stale firings are ignored", async () => {
    const send = (event: FlowEvent) =>
      h.engine.handle({ conversationKey: "k-named", channel: "console", address: "a-named", event });
    const texts = () => repliesTo("a-named").map((s) => (s.message.type === "text" ? s.message.text : ""));
    const pending = async () =>
      (await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-named" } })).channelState as {
        timers?: Record<string, string>;
      };
    const jobsNamed = (name: string) =>
      prismaOf(db).$queryRawUnsafe<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'flow-timer' AND data->>'conversationKey' = 'k-named' AND data->>'name' = $1",
        name,
      );
    await send(text("timers"));
    const scheduled = (await pending()).timers ?? {};
    expect(Object.keys(scheduled).sort()).toEqual(["a", "b"]);
    await send(text("cancel a"));
    expect(Object.keys((await pending()).timers ?? {})).toEqual(["b"]);
    expect(await jobsNamed("a")).toEqual([{ n: 0 }]);
    await eventually(() => texts().includes("fired b"), 15_000);
    // The cancelled timer's job, had it run, and the fired one delivered again are both kept from the flow;
    // so is a firing that names no pending job.
    const firing = (name: string, job?: string) =>
      h.engine.handle({
        conversationKey: "k-named",
        channel: "console",
        ...(job ? { externalId: `timer:${job}` } : {}),
        event: { type: "timer.fired", name, token: "any" },
      });
    expect(await firing("a", scheduled.a)).toBe("applied");
    expect(await firing("b", scheduled.b)).toBe("duplicate");
    expect(await firing("a")).toBe("applied");
    expect(await firing("b")).toBe("applied");
    // Wait past the cancelled timer's time: nothing else arrives.
    await new Promise((r) => setTimeout(r, 1500));
    expect(texts()).toEqual(["timers set", "a cancelled", "fired b"]);
    expect((await pending()).timers).toEqual({});
  });

  it("answers a corrupt snapshot with the apology and the menu instead of crashing", async () => {
    await h.engine.handle({
      conversationKey: "k-corrupt",
      channel: "console",
      address: "a-corrupt",
      event: text("one"),
    });
    await prismaOf(db).conversation.update({
      where: { key: "k-corrupt" },
      data: { snapshotSealed: new Uint8Array([1, 2, 3, 4]) },
    });
    expect(
      await h.engine.handle({
        conversationKey: "k-corrupt",
        channel: "console",
        address: "a-corrupt",
        event: text("two"),
      }),
    ).toBe("recovered");
    await eventually(() => repliesTo("a-corrupt").length === 3);
    const texts = repliesTo("a-corrupt").map((s) => (s.message.type === "text" ? s.message.text : ""));
    expect(texts[1]).toMatch(/Maaf/);
    expect(texts[2]).toBe("#1 command:menu");
  });

  it("answers a snapshot of an older flow version with the apology and the menu", async () => {
    await h.engine.handle({
      conversationKey: "k-old",
      channel: "console",
      address: "a-old",
      event: text("one"),
    });
    await prismaOf(db).conversation.update({ where: { key: "k-old" }, data: { flowVersion: 0, lang: "en" } });
    expect(
      await h.engine.handle({
        conversationKey: "k-old",
        channel: "console",
        address: "a-old",
        event: text("two"),
      }),
    ).toBe("recovered");
    await eventually(() => repliesTo("a-old").length === 3);
    expect(repliesTo("a-old")[1]?.message).toEqual({ type: "text", text: expect.stringMatching(/^Sorry/) });
  });

  it("recovers at the menu when the flow throws", async () => {
    expect(
      await h.engine.handle({
        conversationKey: "k-crash",
        channel: "console",
        address: "a-crash",
        event: text("crash"),
      }),
    ).toBe("recovered");
    await eventually(() => repliesTo("a-crash").length === 2);
    expect(repliesTo("a-crash")[1]?.message).toEqual({ type: "text", text: "#1 command:menu" });
  });

  it("turns a typed number after a numbered menu into that option", async () => {
    await h.engine.handle({
      conversationKey: "k-num",
      channel: "console",
      address: "a-num",
      event: text("choices"),
    });
    await h.engine.handle({
      conversationKey: "k-num",
      channel: "console",
      address: "a-num",
      event: text("7"),
    });
    await eventually(() => repliesTo("a-num").length === 2);
    expect(repliesTo("a-num")[1]?.message).toEqual({ type: "text", text: "#1 choice:opt-7" });
  });

  it("resolves a channel-shortened button payload against the options last offered", async () => {
    await h.engine.handle({
      conversationKey: "k-short",
      channel: "short",
      address: "a-short",
      event: text("choices"),
    });
    await h.engine.handle({
      conversationKey: "k-short",
      channel: "short",
      address: "a-short",
      event: { type: "user.message", message: { type: "choice", id: "#3" } },
    });
    await eventually(() => repliesTo("a-short").length === 2);
    expect(repliesTo("a-short")[1]?.message).toEqual({ type: "text", text: "#1 choice:opt-3" });
  });

  it("deletes the conversation and its address on request but still sends the last reply", async () => {
    await h.engine.handle({
      conversationKey: "k-del",
      channel: "console",
      address: "a-del",
      externalId: "d1",
      event: text("x"),
    });
    // As a person would: the first reply arrives before they ask to delete. (/hapus drops replies
    // still waiting in the outbox, so without this wait the first reply may never be sent.)
    await eventually(() => repliesTo("a-del").length === 1);
    await h.engine.handle({
      conversationKey: "k-del",
      channel: "console",
      address: "a-del",
      event: text("hapus"),
    });
    await eventually(() => repliesTo("a-del").length === 2);
    expect(await prismaOf(db).conversation.count({ where: { key: "k-del" } })).toBe(0);
    expect(await prismaOf(db).inboundReceipt.count({ where: { conversationKey: "k-del" } })).toBe(0);
    expect(
      await h.engine.handle({
        conversationKey: "k-del",
        channel: "console",
        event: { type: "timer.fired", name: "x", token: "y" },
      }),
    ).toBe("missing");
  });

  it("applies events of many conversations together and isolates one that fails", async () => {
    const failing = await createTestEngine(db, echoMachine, {
      sealer: h.sealer,
      cases: {
        ...noCases,
        async submitReport() {
          throw new Error("storage refused the report");
        },
      },
    });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          failing.engine.handle({
            conversationKey: `k-batch-${i}`,
            channel: "console",
            externalId: `batch-${i}`,
            address: `a-batch-${i}`,
            event: text(i === 5 ? "submit" : `hello ${i}`),
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        Array.from({ length: 12 }, (_, i) => (i === 5 ? "rejected" : "fulfilled")),
      );
      // Either instance's dispatcher may deliver them: both poll the same outbox.
      const delivered = () =>
        [...h.sender.sent, ...failing.sender.sent].filter((m) => String(m.address).startsWith("a-batch-"))
          .length;
      await eventually(() => delivered() === 11);
      expect(await prismaOf(db).conversation.count({ where: { key: { startsWith: "k-batch-" } } })).toBe(11);
      expect(await prismaOf(db).inboundReceipt.count({ where: { externalId: "batch-5" } })).toBe(0);
    } finally {
      await failing.stop();
    }
  });

  it("in one batch, replies once to each new message and skips the redeliveries of ones already applied", async () => {
    const inbound = (i: number, round: number) => ({
      conversationKey: `k-mix-${i}`,
      channel: "console",
      externalId: `mix-${i}-${round}`,
      address: `a-mix-${i}`,
      event: text(`round ${round} from ${i}`),
    });
    expect(await Promise.all([0, 1, 2, 3].map((i) => h.engine.handle(inbound(i, 1))))).toEqual(
      Array(4).fill("applied"),
    );
    // Existing conversations with new messages, redeliveries of applied ones and new conversations, at once.
    const outcomes = await Promise.all([
      ...[0, 1].map((i) => h.engine.handle(inbound(i, 2))),
      ...[2, 3].map((i) => h.engine.handle(inbound(i, 1))),
      ...[4, 5].map((i) => h.engine.handle(inbound(i, 1))),
    ]);
    expect(outcomes).toEqual(["applied", "applied", "duplicate", "duplicate", "applied", "applied"]);
    await eventually(() =>
      [0, 1, 2, 3, 4, 5].every((i) => repliesTo(`a-mix-${i}`).length >= (i < 2 ? 2 : 1)),
    );
    expect([0, 1, 2, 3, 4, 5].map((i) => repliesTo(`a-mix-${i}`).length)).toEqual([2, 2, 1, 1, 1, 1]);
    const versions = await prismaOf(db).conversation.findMany({
      where: { key: { startsWith: "k-mix-" } },
      orderBy: { key: "asc" },
      select: { version: true },
    });
    expect(versions.map((v) => v.version)).toEqual([2, 2, 1, 1, 1, 1]);
  });

  it("keeps a conversation consistent when two service instances share the database", async () => {
    const second = await createTestEngine(db, echoMachine, { sealer: h.sealer });
    try {
      const sends = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? h : second).engine.handle({
          conversationKey: "k-two",
          channel: "console",
          externalId: `two-${i % 10}`,
          address: "a-two",
          event: text(`m${i % 10}`),
        }),
      );
      const outcomes = await Promise.all(sends);
      expect(outcomes.filter((o) => o === "applied")).toHaveLength(10);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(10);
      const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key: "k-two" } });
      expect(row.version).toBe(10);
      const snapshot = h.sealer.openJson<{ context: { count: number; seen: string[] } }>(
        row.snapshotSealed!,
        sealedAt.conversationSnapshot(row.key),
      );
      expect(snapshot.context.count).toBe(10);
      expect([...snapshot.context.seen].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
      await eventually(
        () =>
          h.sender.sent.filter((s) => s.address === "a-two").length +
            second.sender.sent.filter((s) => s.address === "a-two").length ===
          10,
      );
    } finally {
      await second.stop();
    }
  });

  it("answers someone who deleted the conversation and came back, and drops their held messages", async () => {
    const send = (t: string) =>
      h.engine.handle({ conversationKey: "k-back", channel: "console", address: "a-back", event: text(t) });
    await send("first");
    await eventually(() => repliesTo("a-back").length === 1);
    await prismaOf(db).outboxMessage.create({
      data: {
        idempotencyKey: "held-for-k-back",
        channel: "console",
        targetKey: "k-back",
        payloadSealed: h.sealer.sealJson(
          { address: "a-back", message: { type: "text", text: "old question" } },
          sealedAt.outboxPayload("k-back", "held-for-k-back"),
        ),
        status: "held",
      },
    });
    await send("hapus");
    await eventually(() => repliesTo("a-back").length === 2);
    expect(await prismaOf(db).outboxMessage.count({ where: { targetKey: "k-back", status: "held" } })).toBe(
      0,
    );
    await send("again");
    await eventually(() => repliesTo("a-back").length === 3);
    expect(repliesTo("a-back").map((s) => (s.message.type === "text" ? s.message.text : ""))).toEqual([
      "#1 first",
      "deleted",
      "#1 again",
    ]);
  });

  it("retries a failed send and delivers it exactly once", async () => {
    h.sender.failures = 2;
    await h.engine.handle({
      conversationKey: "k-retry",
      channel: "console",
      address: "a-retry",
      event: text("hi"),
    });
    await eventually(() => repliesTo("a-retry").length === 1, 10_000);
    await eventually(
      async () =>
        (await prismaOf(db).outboxMessage.findFirstOrThrow({ where: { targetKey: "k-retry" } })).status ===
        "sent",
    );
    const row = await prismaOf(db).outboxMessage.findFirstOrThrow({ where: { targetKey: "k-retry" } });
    expect(repliesTo("a-retry")).toHaveLength(1);
    expect(row.attempts).toBe(3);
  });
});
