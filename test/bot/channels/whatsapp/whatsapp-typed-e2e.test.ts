import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { t } from "../../../../src/flows/content/catalog.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import {
  bodyText,
  newWaId,
  offeredIds,
  type SentBody,
  startWhatsAppService,
  type WhatsAppTestService,
} from "../../../helpers/whatsapp-service.ts";

const texts = (bodies: SentBody[]) => bodies.map(bodyText);

/** People type instead of tapping: the real signed webhook, the real flows, a fake Graph API. */
describe.each(databaseKinds())("WhatsApp, typed messages (%s)", (kind) => {
  let wa: WhatsAppTestService;

  beforeAll(async () => {
    wa = await startWhatsAppService(kind);
  });
  afterAll(async () => {
    await wa?.close();
  });

  const say = async (waId: string, text: string) => {
    await wa.text(waId, text);
    return wa.settle(waId);
  };

  it("answers a typed cry for help as the very first message with the numbers for Indonesia first", async () => {
    const waId = newWaId();
    const sent = await say(waId, "tlg kk sy dikurung majikan di denpasar gk boleh keluar, hpnya diambil");
    expect(texts(sent)[0]).toBe(t("id", "typed.danger.indonesia"));
    expect(sent.flatMap(offeredIds)).toEqual(["pending.story:report", "pending.story:no"]);
  });

  it("gives someone abroad the KP2MI line from abroad first", async () => {
    const waId = newWaId();
    const sent = await say(
      waId,
      "tolong sy di sihanoukville dipaksa nipu org online, paspor ditahan, gk boleh keluar",
    );
    expect(texts(sent)[0]).toBe(t("id", "typed.danger.abroad"));
  });

  it("brings the numbers first at the menu and in the middle of the offer check", async () => {
    const waId = newWaId();
    await say(waId, "/start");
    await wa.pick(waId, "language:en");
    await wa.settle(waId);
    const atMenu = await say(waId, "my cousin is locked in the agent's house in Jakarta, please help");
    expect(texts(atMenu)[0]).toBe(t("en", "typed.danger.indonesia"));
    await wa.pick(waId, "pending.story:no");
    await wa.settle(waId);
    await wa.pick(waId, "menu:check");
    await wa.settle(waId);
    await say(waId, "Saudi Arabia");
    const midCheck = await say(waId, "help my sister is beaten by her employer in Riyadh and cannot leave");
    expect(texts(midCheck)[0]).toBe(t("en", "typed.danger.abroad"));
    expect(midCheck.flatMap(offeredIds)).toEqual(["pending.danger:report", "pending.danger:continue"]);
  });

  it("starts a report holding a story typed at the menu, answers a question and takes a code", async () => {
    const waId = newWaId();
    await say(waId, "/start");
    await wa.pick(waId, "language:id");
    await wa.settle(waId);
    const answer = await say(waId, "gmn cara cek agen resmi?");
    expect(texts(answer).join("\n")).toContain("SISKOP2MI");
    const status = await say(waId, "tppo 7k3m 9qx2");
    expect(texts(status).join("\n")).toContain(t("id", "status.pin.prompt"));
    await say(waId, "menu");
    const offer = await say(
      waId,
      "sy ketipu calo, udah bayar 15jt buat kerja di kapal pesiar tp gk berangkat2",
    );
    expect(offer.flatMap(offeredIds)).toContain("pending.story:report");
    const started = await say(waId, "iya");
    expect(texts(started).join("\n")).toContain(t("id", "typed.story.started"));
  });
});
