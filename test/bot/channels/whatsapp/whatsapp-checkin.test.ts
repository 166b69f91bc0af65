import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import type { ChannelState } from "../../../../src/storage/conversations.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import {
  bodyText,
  newWaId,
  startWhatsAppService,
  type WhatsAppTestService,
} from "../../../helpers/whatsapp-service.ts";

const CHECKIN_TEMPLATE = "suara_aman_checkin";
const HOURS_25 = 25 * 3_600_000;

describe.each(databaseKinds())("WhatsApp check-ins on %s", (kind) => {
  let wa: WhatsAppTestService;
  beforeAll(async () => {
    wa = await startWhatsAppService(kind, {
      template: "suara_aman_followup",
      checkinTemplate: CHECKIN_TEMPLATE,
    });
  });
  afterAll(async () => {
    await wa?.close();
  });

  it("asks a check-in outside the 24-hour window with the check-in template and delivers the question on the answer", async () => {
    const waId = newWaId();
    const key = wa.keyOf(waId);
    const steps: [string, string][] = [
      ["text", "/start"],
      ["pick", "language:id"],
      ["pick", "menu:checkin"],
      ["pick", "checkin.hub:start"],
      ["text", "10/12/30"],
      ["text", "Arab Saudi"],
      ["text", "Riyadh"],
      ["pick", "checkin.agency:skip"],
      ["pick", "checkin.employer:skip"],
      ["text", "Mbak Contoh"],
      ["pick", "checkin.schedule:default"],
      ["pick", "checkin.phrase:skip"],
      ["pick", "checkin.consent:yes"],
    ];
    for (const [how, value] of steps) {
      if (how === "text") await wa.text(waId, value);
      else await wa.pick(waId, value);
      await wa.settle(waId);
    }
    expect(bodyText(wa.sentTo(waId).at(-1)!)).toContain("KLG-");
    const db = prismaOf(wa.db);
    await db.conversation.update({
      where: { key },
      data: { lastInboundAt: new Date(Date.now() - HOURS_25) },
    });
    const row = await db.conversation.findUniqueOrThrow({ where: { key } });
    const job = (row.channelState as ChannelState).timers?.checkin;
    expect(job).toBeDefined();
    await wa.svc.engine.handle({
      conversationKey: key,
      channel: "whatsapp",
      externalId: `timer:${job}`,
      event: { type: "timer.fired", name: "checkin", token: "t" },
    });
    const sent = await wa.settle(waId);
    expect(sent.filter((b) => b.type === "template")).toEqual([
      expect.objectContaining({ template: { name: CHECKIN_TEMPLATE, language: { code: "id" } } }),
    ]);
    expect(await db.outboxMessage.count({ where: { targetKey: key, status: "held" } })).toBe(1);

    await wa.text(waId, "aman");
    const after = (await wa.settle(waId)).map(bodyText);
    expect(after[0]).toContain(t("id", "checkin.ask.question"));
    expect(after).toContain(t("id", "checkin.answer.ok"));
    const checkin = await db.checkin.findUniqueOrThrow({ where: { conversationKey: key } });
    expect(checkin.lastOkAt).not.toBeNull();
  });
});
