import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealOutbox } from "../../../../src/bot/outbox-payload.ts";
import { sealedAt } from "../../../../src/storage/crypto.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { startWebService, type WebService } from "../../../helpers/web-service.ts";

type Item = { seq: number; message: { type: string; text?: string } };

describe.each(databaseKinds())("web chat with a moved outbox payload (%s)", (kind) => {
  let web: WebService;
  beforeAll(async () => {
    web = await startWebService(kind);
  });
  afterAll(async () => {
    await web?.close();
  });

  const call = (path: string, session: string, init: RequestInit = {}) =>
    fetch(`${web.url}${path}`, { method: "POST", ...init, headers: { "X-Session": session } });
  const newSession = async () =>
    ((await (await fetch(`${web.url}/api/session`, { method: "POST" })).json()) as { session: string })
      .session;
  const messages = async (session: string) => {
    const res = await call("/api/messages?after=0", session, { method: "GET" });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: Item[] }).messages;
  };
  /** A message waiting for `key` to collect it, as the officers module writes one. */
  const waiting = (key: string, idempotencyKey: string, text: string) =>
    prismaOf(web.db).outboxMessage.create({
      data: {
        ...sealOutbox(
          web.svc.sealer,
          { idempotencyKey, channel: "web", targetKey: key },
          { address: { channel: "web" }, message: { type: "text", text } },
        ),
        status: "held",
      },
    });

  it("never shows a payload copied to another person's row: the row is dead-lettered and the place logged", async () => {
    const [victim, thief] = [await newSession(), await newSession()];
    const victimKey = web.svc.inbound.keyOf("web", victim);
    const thiefKey = web.svc.inbound.keyOf("web", thief);
    const secret = await waiting(victimKey, `relay:fake-1:${victimKey}`, "Pertanyaan petugas: FAKE-SECRET-1");
    const decoy = await waiting(thiefKey, `relay:fake-2:${thiefKey}`, "decoy");
    const later = await waiting(thiefKey, `relay:fake-3:${thiefKey}`, "after the decoy");
    await prismaOf(web.db)
      .$executeRaw`UPDATE outbox_message SET payload_sealed = (SELECT payload_sealed FROM outbox_message WHERE id = ${secret.id}) WHERE id = ${decoy.id}`;

    const seen = await messages(thief);
    expect(seen.map((m) => m.message.text)).toEqual(["after the decoy"]);
    expect(seen[0]!.seq).toBe(Number(later.seq));
    const row = await prismaOf(web.db).outboxMessage.findUniqueOrThrow({ where: { id: decoy.id } });
    expect(row.status).toBe("dead");
    // Collected again (the next poll, a reconnect), the stream does not stumble on it a second time.
    expect((await messages(thief)).map((m) => m.message.text)).toEqual(["after the decoy"]);
    // The victim's own copy still opens where it was sealed.
    expect((await messages(victim)).map((m) => m.message.text)).toEqual([
      "Pertanyaan petugas: FAKE-SECRET-1",
    ]);

    const logs = web.logs.join("");
    const place = sealedAt.outboxPayload(thiefKey, `relay:fake-2:${thiefKey}`);
    expect(logs).toContain("sealed value refused");
    expect(logs).toContain(JSON.stringify(place).slice(1, -1));
    expect(logs).not.toContain("FAKE-SECRET-1");
    expect(logs).not.toContain(thief.split(".")[0]);
  });

  it("does not show a message whose row was readdressed to another person", async () => {
    const [victim, thief] = [await newSession(), await newSession()];
    const victimKey = web.svc.inbound.keyOf("web", victim);
    const thiefKey = web.svc.inbound.keyOf("web", thief);
    const secret = await waiting(victimKey, `relay:fake-4:${victimKey}`, "FAKE-SECRET-2");
    await prismaOf(web.db)
      .$executeRaw`UPDATE outbox_message SET target_key = ${thiefKey} WHERE id = ${secret.id}`;

    expect(await messages(thief)).toEqual([]);
    const row = await prismaOf(web.db).outboxMessage.findUniqueOrThrow({ where: { id: secret.id } });
    expect(row.status).toBe("dead");
    expect(web.logs.join("")).not.toContain("FAKE-SECRET-2");
  });
});
