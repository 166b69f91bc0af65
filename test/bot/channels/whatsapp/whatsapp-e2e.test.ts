import { createHmac } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealOutbox } from "../../../../src/bot/outbox-payload.ts";
import { t } from "../../../../src/flows/content/catalog.ts";
import { checkQuestions } from "../../../../src/flows/migration-check.ts";
import { sealedAt } from "../../../../src/storage/crypto.ts";
import { enqueueOutbox } from "../../../../src/storage/outbox.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { echoMachine } from "../../../helpers/echo-flow.ts";
import { eventually } from "../../../helpers/test-engine.ts";
import {
  bodyText,
  newWaId,
  offeredIds,
  type SentBody,
  startWhatsAppService,
  statusDelivery,
  type WhatsAppTestService,
} from "../../../helpers/whatsapp-service.ts";

const TEMPLATE = "suara_aman_followup";
const HOURS_25 = 25 * 3_600_000;

const texts = (bodies: SentBody[]) => bodies.map(bodyText).join("\n---\n");

describe.each(databaseKinds())("WhatsApp channel end to end, main flow, on %s", (kind) => {
  let wa: WhatsAppTestService;

  beforeAll(async () => {
    wa = await startWhatsAppService(kind, { template: TEMPLATE });
  });
  afterAll(async () => {
    await wa?.close();
  });

  /** Opens a conversation and chooses Indonesian; returns the menu sends. */
  async function atMenu(waId: string): Promise<SentBody[]> {
    await wa.text(waId, "/start");
    const language = await wa.settle(waId);
    expect(language.flatMap(offeredIds)).toContain("language:id");
    await wa.pick(waId, "language:id");
    const menu = await wa.settle(waId);
    expect(menu.flatMap(offeredIds)).toContain("menu:check");
    return menu;
  }

  /** Walks a report from first contact to its evidence step, the step that takes files. */
  async function atEvidence(waId: string): Promise<void> {
    await atMenu(waId);
    const steps: (() => Promise<unknown>)[] = [
      () => wa.pick(waId, "menu:report"),
      () => wa.pick(waId, "report.situation:scam_compound"),
      () => wa.text(waId, "Kamboja"),
      () => wa.text(waId, "Phnom Penh"),
      () => wa.deliver(waId, { type: "location", location: { latitude: 11.55, longitude: 104.92 } }),
      () => wa.pick(waId, "report.when:now"),
      () => wa.pick(waId, "report.people:two_five"),
      () => wa.pick(waId, "report.minors:unsure"),
      () => wa.pick(waId, "report.danger:no"),
      () => wa.pick(waId, "report.confined:yes"),
      () => wa.pick(waId, "report.passport:yes"),
      () => wa.pick(waId, "report.forced:no"),
      () => wa.pick(waId, "report.departure:no"),
      () => wa.text(waId, "Adik saya ditawari kerja customer service."),
      () => wa.pick(waId, "report.narrative:done"),
      () => wa.text(waId, "PT Contoh Jaya, akun IG @contoh"),
    ];
    for (const step of steps) {
      await step();
      await wa.settle(waId);
    }
  }

  const countRows = async () => ({
    conversation: await prismaOf(wa.db).conversation.count(),
    receipt: await prismaOf(wa.db).inboundReceipt.count(),
    outbox: await prismaOf(wa.db).outboxMessage.count(),
    evidence: await prismaOf(wa.db).evidence.count(),
  });

  it("answers Meta's verification GET with the challenge for the right token and 403 otherwise", async () => {
    const query = (token: string) =>
      `/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const wrong = await fetch(wa.url(query("not-the-token")));
    expect(wrong.status).toBe(403);
    const right = await fetch(wa.url(query(wa.verifyToken)));
    expect(right.status).toBe(200);
    expect(await right.text()).toBe("1158201444");
  });

  it("refuses a bad or missing signature with 401 and writes nothing, not even for an image", async () => {
    const waId = newWaId();
    wa.graph.addMedia("media-unsigned", new Uint8Array([1, 2, 3]), "image/jpeg");
    const before = await countRows();
    const callsBefore = wa.graph.calls.length;
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: {
                messages: [
                  {
                    from: waId,
                    id: "wamid.unsigned-1",
                    timestamp: "1700000000",
                    type: "image",
                    image: { id: "media-unsigned", mime_type: "image/jpeg" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const missing = await wa.post(body, { signature: null });
    const garbage = await wa.post(body, { signature: "sha256=nothex" });
    const otherSecret = await wa.post(body, { signature: `sha256=${"0".repeat(64)}` });
    const resigned = await wa.post(body.replace("}", " }"), {
      // signed over other bytes: a re-serialised body must not verify
      signature: `sha256=${createHmac("sha256", wa.appSecret).update(body).digest("hex")}`,
    });
    expect([missing.status, garbage.status, otherSecret.status, resigned.status]).toEqual([
      401, 401, 401, 401,
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await countRows()).toEqual(before);
    expect(wa.graph.calls.length).toBe(callsBefore);
  });

  it("answers 200 to signed broken JSON and to a signed non-WhatsApp payload, and keeps serving", async () => {
    const before = await countRows();
    expect((await wa.post("{not json")).status).toBe(200);
    expect((await wa.post(new Uint8Array([0xff, 0xfe, 0x00]))).status).toBe(200);
    expect((await wa.post({ object: "page", entry: "nope" })).status).toBe(200);
    expect((await wa.post({ object: "whatsapp_business_account", entry: [{ changes: [{}] }] })).status).toBe(
      200,
    );
    expect(await countRows()).toEqual(before);
    const health = await fetch(wa.url("/healthz"));
    expect(health.status).toBe(200);
  });

  it("replies once when the same message id is delivered twice, and marks it read", async () => {
    const waId = newWaId();
    const wamid = `wamid.dup-${waId}`;
    const message = { type: "text", text: { body: "/start" } };
    await Promise.all([wa.deliver(waId, message, wamid), wa.deliver(waId, message, wamid)]);
    await wa.deliver(waId, message, wamid);
    const sends = await wa.settle(waId);
    await new Promise((r) => setTimeout(r, 300));
    expect(sends).toHaveLength(1);
    expect(wa.sentTo(waId)).toHaveLength(1);
    expect(offeredIds(sends[0]!)).toEqual(["language:id", "language:en"]);
    const read = await wa.graph.waitFor(
      (c) => (c.body as { status?: string; message_id?: string })?.message_id === wamid,
    );
    expect(read.body).toMatchObject({ status: "read" });
    expect(await prismaOf(wa.db).inboundReceipt.count({ where: { externalId: wa.storedId(wamid) } })).toBe(1);
    // A wamid encodes the phone number: only its keyed hash is stored.
    expect(await prismaOf(wa.db).inboundReceipt.count({ where: { externalId: wamid } })).toBe(0);
  });

  it("walks the whole safe-migration check with buttons and lists within every limit", async () => {
    const waId = newWaId();
    const menu = await atMenu(waId);
    expect(menu.at(-1)?.type).toBe("interactive");
    await wa.pick(waId, "menu:check");
    let sends = await wa.settle(waId);
    expect(texts(sends)).toContain(t("id", "menu.check.intro"));
    for (const [i, q] of checkQuestions.entries()) {
      expect(texts(sends)).toContain(t("id", q.key));
      expect(texts(sends)).toContain(
        t("id", "menu.check.progress", { n: i + 1, total: checkQuestions.length }),
      );
      if (q.kind === "text") await wa.text(waId, q.id === "destination" ? "Kamboja" : "PT Contoh Jaya");
      else await wa.pick(waId, `check.q.${q.id}:${q.id === "tourist_visa" ? "yes" : "unsure"}`);
      sends = await wa.settle(waId);
    }
    expect(sends.length).toBeLessThanOrEqual(2);
    expect(offeredIds(sends.at(-1)!)).toEqual([
      "check.result:report",
      "check.result:detail",
      "check.result:checkin",
      "check.result:qa",
      "check.result:menu",
    ]);
    await wa.pick(waId, "check.result:detail");
    const detail = await wa.settle(waId);
    expect(texts(detail)).toContain(t("id", "menu.check.summary_intro"));
    await wa.pick(waId, "check.detail:menu");
    const back = await wa.settle(waId);
    expect(back.flatMap(offeredIds)).toContain("menu:report");
  });

  it("takes a whole report with a photo downloaded with the bearer token as evidence", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    const photo = await sharp({
      create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 30, b: 30 } },
    })
      .jpeg()
      .toBuffer();
    wa.graph.addMedia("media-photo-1", new Uint8Array(photo), "image/jpeg");
    await atEvidence(waId);
    const callsBefore = wa.graph.calls.length;
    await wa.deliver(waId, {
      type: "image",
      image: { id: "media-photo-1", mime_type: "image/jpeg", caption: "Foto kontrak" },
    });
    await wa.settle(waId);
    const graphCalls = wa.graph.calls.slice(callsBefore);
    const lookup = graphCalls.find((c) => c.method === "GET" && c.path.endsWith("/media-photo-1"));
    const download = graphCalls.find((c) => c.path === "/media-download/media-photo-1");
    expect(lookup?.headers.authorization).toBe(`Bearer ${wa.graph.token}`);
    expect(download?.headers.authorization).toBe(`Bearer ${wa.graph.token}`);
    const evidence = await prismaOf(wa.db).evidence.findMany({ where: { conversationKey: key } });
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ kind: "photo", mime: "image/jpeg", reportId: null });

    await wa.pick(waId, "report.evidence:done");
    await wa.settle(waId);
    await wa.pick(waId, "report.consent:yes");
    const review = await wa.settle(waId);
    expect(texts(review)).toContain("Phnom Penh");
    await wa.pick(waId, "report.review:confirm");
    const done = await wa.settle(waId);
    expect(texts(done)).toMatch(/REF-[A-Z0-9]{4}-[A-Z0-9]{4}/);

    const reports = await prismaOf(wa.db).report.findMany();
    const attached = await prismaOf(wa.db).evidence.findUniqueOrThrow({ where: { id: evidence[0]!.id } });
    expect(attached.reportId).not.toBeNull();
    expect(reports.some((r) => r.id === attached.reportId)).toBe(true);
    const row = await prismaOf(wa.db).conversation.findUniqueOrThrow({ where: { key } });
    const stored = JSON.stringify({
      row: { ...row, snapshotSealed: null, addressSealed: null },
      reports,
      receipts: await prismaOf(wa.db).inboundReceipt.findMany({ where: { conversationKey: key } }),
    });
    expect(stored).not.toContain(waId);
    expect(stored).not.toContain("Test User");
    expect(wa.svc.sealer.openJson(row.addressSealed!, sealedAt.conversationAddress(row.key))).toEqual({
      waId,
    });
  });

  it("stores a photo delivered twice once, and explains a file it cannot take or fetch", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    await atEvidence(waId);
    const photo = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#08f" } })
      .png()
      .toBuffer();
    wa.graph.addMedia("media-twice", new Uint8Array(photo), "image/png");
    const image = { type: "image", image: { id: "media-twice", mime_type: "image/png" } };
    const wamid = `wamid.photo-${waId}`;
    await wa.deliver(waId, image, wamid);
    expect((await wa.settle(waId)).length).toBeGreaterThan(0);
    await wa.deliver(waId, image, wamid);
    expect(await wa.settle(waId)).toEqual([]);
    expect(await prismaOf(wa.db).evidence.count({ where: { conversationKey: key } })).toBe(1);

    wa.graph.addMedia("media-zip", new Uint8Array([0x50, 0x4b, 3, 4]), "application/zip");
    await wa.deliver(waId, { type: "document", document: { id: "media-zip", mime_type: "application/zip" } });
    expect(texts(await wa.settle(waId))).toContain(t("id", "common.unsupported"));
    await wa.deliver(waId, { type: "image", image: { id: "media-gone", mime_type: "image/jpeg" } });
    expect(texts(await wa.settle(waId))).toContain(t("id", "common.unsupported"));
    expect(await prismaOf(wa.db).evidence.count({ where: { conversationKey: key } })).toBe(1);
  });

  it("answers a sticker, a voice note and an unknown type politely and keeps the step", async () => {
    const waId = newWaId();
    await atMenu(waId);
    for (const message of [
      { type: "sticker", sticker: { id: "s1", mime_type: "image/webp" } },
      { type: "audio", audio: { id: "a1", mime_type: "audio/ogg" } },
      { type: "reaction", reaction: { message_id: "wamid.x", emoji: "👍" } },
      { type: "unsupported", errors: [{ code: 131051 }] },
    ]) {
      await wa.deliver(waId, message);
      const sends = await wa.settle(waId);
      expect(texts(sends)).toContain(t("id", "common.unsupported"));
    }
    await wa.pick(waId, "menu:check");
    expect(texts(await wa.settle(waId))).toContain(t("id", "menu.check.intro"));
  });

  it("sends the follow-up template outside the 24-hour window, holds the update, and delivers it on the next message", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    await atMenu(waId);
    await prismaOf(wa.db).conversation.update({
      where: { key },
      data: { lastInboundAt: new Date(Date.now() - HOURS_25) },
    });
    const outcome = await wa.svc.engine.handle({
      conversationKey: key,
      channel: "whatsapp",
      event: { type: "case.update", code: "TPPO-7K3M-9QX2", text: "Petugas bertanya: kapan Anda berangkat?" },
    });
    expect(outcome).toBe("applied");
    await wa.settle(waId);
    const held = await prismaOf(wa.db).outboxMessage.count({ where: { targetKey: key, status: "held" } });
    expect(held).toBeGreaterThanOrEqual(1);
    const sends = wa.sentTo(waId).slice(-1);
    expect(wa.sentTo(waId).filter((b) => b.type === "template")).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      type: "template",
      template: { name: TEMPLATE, language: { code: "id" } },
    });
    expect(JSON.stringify(sends[0])).not.toContain("kapan Anda berangkat");

    await wa.text(waId, "halo lagi");
    const after = await wa.settle(waId);
    expect(bodyText(after[0]!)).toContain("kapan Anda berangkat");
    expect(await prismaOf(wa.db).outboxMessage.count({ where: { targetKey: key, status: "held" } })).toBe(0);
    expect(after.filter((b) => b.type === "template")).toHaveLength(0);
  });

  it("holds the outbox message when a status says 131047 and sends the follow-up template", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    await atMenu(waId);
    const sent = await prismaOf(wa.db).outboxMessage.findFirstOrThrow({
      where: { targetKey: key, status: "sent" },
      orderBy: { seq: "desc" },
    });
    expect(sent.externalId).toMatch(/^wamid:[0-9a-f]{64}$/);
    const sentWamid = wa.rawWamid(sent.externalId!)!;
    expect(sentWamid).toMatch(/^wamid\.fake-/);
    const ok = await wa.post(statusDelivery(sentWamid, waId, "delivered"));
    expect(ok.status).toBe(200);
    expect((await prismaOf(wa.db).outboxMessage.findUniqueOrThrow({ where: { id: sent.id } })).status).toBe(
      "sent",
    );

    const failed = await wa.post(statusDelivery(sentWamid, waId, "failed", [131047]));
    expect(failed.status).toBe(200);
    const row = await prismaOf(wa.db).outboxMessage.findUniqueOrThrow({ where: { id: sent.id } });
    expect(row.status).toBe("held");
    expect(row.lastError).toContain("131047");
    const template = await wa.graph.waitFor(
      (c) => (c.body as SentBody | undefined)?.type === "template" && (c.body as SentBody).to === waId,
    );
    expect(template.body).toMatchObject({ template: { name: TEMPLATE } });

    const other = await prismaOf(wa.db).outboxMessage.findFirstOrThrow({
      where: { targetKey: key, status: "sent" },
    });
    await wa.post(statusDelivery(wa.rawWamid(other.externalId!)!, waId, "failed", [131026]));
    const dead = await prismaOf(wa.db).outboxMessage.findUniqueOrThrow({ where: { id: other.id } });
    expect(dead.status).toBe("dead");
    expect(dead.lastError).toContain("131026");
    expect((await wa.post(statusDelivery("wamid.unknown", waId, "failed", [131047]))).status).toBe(200);
  });
});

describe.each(databaseKinds())("WhatsApp channel end to end, test flow without a template, on %s", (kind) => {
  let wa: WhatsAppTestService;

  beforeAll(async () => {
    wa = await startWhatsAppService(kind, { flow: { id: "echo", version: 1, machine: echoMachine } });
  });
  afterAll(async () => {
    await wa?.close();
  });

  /** Writes a message straight to the outbox, as the officers module does, and wakes the dispatcher. */
  async function enqueue(waId: string, text: string, purpose: string, key = wa.keyOf(waId)): Promise<void> {
    await wa.db.transaction((tx) =>
      enqueueOutbox(tx, [
        sealOutbox(
          wa.svc.sealer,
          { idempotencyKey: `${purpose}:${key}:${text}`, channel: "whatsapp", targetKey: key, purpose },
          { address: { waId }, message: { type: "text", text } },
        ),
      ]),
    );
    wa.svc.dispatcher.kick();
  }

  /** Opens a conversation and waits until its read receipt went out (it shares the fake's failure queue). */
  async function opened(waId: string): Promise<void> {
    const wamid = await wa.text(waId, "hi");
    expect(texts(await wa.settle(waId))).toBe("#1 hi");
    await wa.graph.waitFor((c) => (c.body as { message_id?: string } | undefined)?.message_id === wamid);
  }

  it("renders 11 options as a numbered text menu and takes a typed 7 as option 7", async () => {
    const waId = newWaId();
    await wa.text(waId, "choices");
    const sends = await wa.settle(waId);
    expect(sends.every((b) => b.type === "text")).toBe(true);
    const menu = texts(sends);
    for (let i = 1; i <= 11; i++) expect(menu).toContain(`${i}. Option ${i}`);
    await wa.text(waId, "7");
    expect(texts(await wa.settle(waId))).toBe("#1 choice:opt-7");
  });

  it("holds an officer question outside the window without sending anything, then delivers it first on the next message", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    await opened(waId);
    await prismaOf(wa.db).conversation.update({
      where: { key },
      data: { lastInboundAt: new Date(Date.now() - HOURS_25) },
    });
    await enqueue(waId, "Pertanyaan petugas: siapa nama agennya?", "relay.question");
    await eventually(
      async () =>
        (await prismaOf(wa.db).outboxMessage.count({ where: { targetKey: key, status: "held" } })) === 1,
    );
    expect(await wa.settle(waId)).toEqual([]);

    const back = await wa.text(waId, "saya kembali");
    const after = await wa.settle(waId);
    await wa.graph.waitFor((c) => (c.body as { message_id?: string } | undefined)?.message_id === back);
    expect(after.map(bodyText)).toEqual(["Pertanyaan petugas: siapa nama agennya?", "#2 saya kembali"]);
  });

  it("tries a message to a chat without a conversation (an officer) and holds it when Graph says 131047", async () => {
    const waId = newWaId();
    const officerKey = `officer-chat-${waId}`;
    await enqueue(waId, "Kasus baru TPPO-7K3M-9QX2", "officer.notify", officerKey);
    await eventually(async () => wa.sentTo(waId).length === 1);
    expect(bodyText(wa.sentTo(waId)[0]!)).toBe("Kasus baru TPPO-7K3M-9QX2");
    wa.graph.failNext(1, { status: 400, code: 131047, message: "Re-engagement message" });
    await enqueue(waId, "Pengingat TPPO-7K3M-9QX2", "officer.notify", officerKey);
    await eventually(
      async () =>
        (await prismaOf(wa.db).outboxMessage.count({ where: { targetKey: officerKey, status: "held" } })) ===
        1,
    );
    expect(wa.sentTo(waId)).toHaveLength(1);
  });

  it("retries a send Graph throttled and dead-letters one Graph refused", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    await opened(waId);
    wa.graph.failNext(1, { status: 429, code: 130429 });
    await enqueue(waId, "throttled once", "case.update");
    await eventually(async () => wa.sentTo(waId).length === 2, 10_000);
    expect(texts(await wa.settle(waId))).toBe("throttled once");
    wa.graph.failNext(1, { status: 400, code: 131026 });
    await enqueue(waId, "refused", "case.update");
    await eventually(
      async () =>
        (await prismaOf(wa.db).outboxMessage.count({ where: { targetKey: key, status: "dead" } })) === 1,
    );
    expect(await wa.settle(waId)).toEqual([]);
  });
});
