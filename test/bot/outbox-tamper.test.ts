import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealOutbox } from "../../src/bot/outbox-payload.ts";
import { sealedAt } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds } from "../helpers/databases.ts";
import { startTelegramService, type TelegramService } from "../helpers/telegram-service.ts";

const VICTIM_CHAT = 710000001;
const OTHER_CHAT = 710000002;

describe.each(databaseKinds())("dispatcher and a moved outbox payload (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  /** A message held in the outbox (so the dispatcher leaves it until released), as a module writes one. */
  const held = (targetKey: string, idempotencyKey: string, chatId: number, text: string) =>
    prismaOf(tg.db).outboxMessage.create({
      data: {
        ...sealOutbox(
          tg.svc.sealer,
          { idempotencyKey, channel: "telegram", targetKey },
          { address: { chatId }, message: { type: "text", text } },
        ),
        status: "held",
      },
    });
  const textsTo = (chatId: number) =>
    tg.fake
      .callsTo("sendMessage")
      .filter((c) => c.payload.chat_id === chatId)
      .map((c) => String(c.payload.text));

  it("dead-letters a payload copied from another row once, sends nothing from it and moves on", async () => {
    const secret = await held("k-victim-1", "relay:fake:victim", VICTIM_CHAT, "FAKE-SECRET-3");
    const moved = await held("k-other-1", "relay:fake:other-1", OTHER_CHAT, "first to other");
    const after = await held("k-other-1", "relay:fake:other-2", OTHER_CHAT, "second to other");
    const p = prismaOf(tg.db);
    await p.$executeRaw`UPDATE outbox_message SET payload_sealed = (SELECT payload_sealed FROM outbox_message WHERE id = ${secret.id}) WHERE id = ${moved.id}`;
    await p.$executeRaw`UPDATE outbox_message SET status = 'pending' WHERE id IN (${moved.id}, ${after.id})`;
    tg.svc.dispatcher.kick();
    await tg.settle();

    // Without the binding the copy would have gone to the victim's chat a second time.
    expect(textsTo(VICTIM_CHAT)).toEqual([]);
    expect(textsTo(OTHER_CHAT)).toEqual(["second to other"]);
    const row = await p.outboxMessage.findUniqueOrThrow({ where: { id: moved.id } });
    expect(row).toMatchObject({ status: "dead", attempts: 1 });
    expect(row.lastError).toBe("unreadable payload: does not open at this row");

    // Later rounds leave it alone: no retry loop.
    tg.svc.dispatcher.kick();
    await new Promise((r) => setTimeout(r, 300));
    await tg.settle();
    expect(await p.outboxMessage.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({
      status: "dead",
      attempts: 1,
    });

    const lines = tg.logs.filter((l) => l.includes(moved.id));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: "outbox message dead-lettered: unreadable payload",
      target: "k-other-1",
      tampered: true,
    });
    const logs = tg.logs.join("");
    expect(logs).toContain(
      JSON.stringify(sealedAt.outboxPayload("k-other-1", "relay:fake:other-1")).slice(1, -1),
    );
    for (const secretPart of ["FAKE-SECRET-3", String(VICTIM_CHAT), String(OTHER_CHAT)]) {
      expect(logs).not.toContain(secretPart);
    }
  });

  it("does not send a message whose row was given to another recipient", async () => {
    const row = await held("k-victim-2", "relay:fake:victim-2", VICTIM_CHAT, "FAKE-SECRET-4");
    const p = prismaOf(tg.db);
    await p.$executeRaw`UPDATE outbox_message SET target_key = 'k-other-2', status = 'pending' WHERE id = ${row.id}`;
    tg.svc.dispatcher.kick();
    await tg.settle();
    expect(textsTo(VICTIM_CHAT)).toEqual([]);
    expect(await p.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "dead",
      attempts: 1,
    });
  });
});
