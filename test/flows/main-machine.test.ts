import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { IDLE_MS } from "../../src/flows/main-context.ts";
import type { Lang } from "../../src/flows/message.ts";
import { FLOWS, flowVersions, MAIN_FLOW_ID, MAIN_FLOW_VERSION, mainFlow } from "../../src/flows/registry.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

const LANGS: Lang[] = ["id", "en"];

describe("registry", () => {
  it("runs the main flow composed of six flows, each with its own version", () => {
    const flow = mainFlow();
    expect([flow.id, flow.version]).toEqual([MAIN_FLOW_ID, MAIN_FLOW_VERSION]);
    expect(FLOWS.map((f) => f.id)).toEqual(["menu", "check", "report", "status", "qa", "checkin"]);
    expect(flow.parts.versions).toEqual(flowVersions);
    expect(Object.keys(flow.machine.root.states)).toEqual(FLOWS.flatMap((f) => Object.keys(f.states)));
  });
});

describe.each(LANGS)("main machine (%s)", (lang) => {
  it("asks for the language on first contact by command, button or media", () => {
    const firsts = [
      (d: FlowDriver) => d.command("start"),
      (d: FlowDriver) => d.choose("menu:report"),
      (d: FlowDriver) => d.user({ type: "media", kind: "photo", ref: "x" }),
    ];
    for (const first of firsts) {
      const d = new FlowDriver();
      first(d);
      expect(d.state).toBe("language");
      expect(d.choiceIds).toEqual(["language:id", "language:en"]);
    }
  });

  it("shows the privacy promise and the seven-item menu after the language choice", () => {
    const d = new FlowDriver();
    d.user({ type: "unsupported", kind: "sticker" });
    expect(d.state).toBe("language");
    d.choose(`language:${lang}`);
    expect(d.state).toBe("menu");
    expect(d.context.lang).toBe(lang);
    expect(d.said).toContain(t(lang, "typed.intro"));
    expect(d.said.indexOf("110")).toBeLessThan(d.said.indexOf("Suara Aman"));
    expect(d.choiceIds).toEqual([
      "menu:check",
      "menu:report",
      "menu:checkin",
      "menu:qa",
      "menu:status",
      "menu:emergency",
      "menu:delete",
    ]);
  });

  it("keeps a report started by tapping, before any language was chosen, when the language is changed", () => {
    const d = new FlowDriver();
    // The first message is the menu number of "report", typed.
    d.text("2");
    d.choose("report.situation:other");
    d.text("malaysia");
    expect(d.context.langChosen).toBe(false);
    d.command("language");
    expect(d.choiceIds).toEqual(["pending.language:id", "pending.language:en"]);
    d.choose("pending.language:en");
    expect(d.state).toEqual({ report: "city" });
    expect(d.context.report?.country).toBe("Malaysia");
    expect(d.said).toContain(t("en", "report.city.prompt"));
  });

  it("switches language in the middle of a flow and asks the same question again in the new language", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.text(" Bahasa ");
    expect(d.state).toEqual({ report: "country" });
    expect(d.choiceIds).toEqual(["pending.language:id", "pending.language:en"]);
    const other: Lang = lang === "id" ? "en" : "id";
    d.choose(`pending.language:${other}`);
    expect(d.state).toEqual({ report: "country" });
    expect(d.context.lang).toBe(other);
    expect(d.context.report?.situation).toBe("other");
    expect(d.said).toContain(t(other, "report.country.prompt"));
    d.command("language");
    expect(d.choiceIds).toEqual(["pending.language:id", "pending.language:en"]);
    d.text(lang === "id" ? "bahasa indonesia" : "english");
    expect(d.context.lang).toBe(lang);
    expect(d.said).toContain(t(lang, "report.country.prompt"));
  });

  it.each([
    ["command start", (d: FlowDriver) => d.command("start")],
    ["command menu", (d: FlowDriver) => d.command("menu")],
    ["command cancel", (d: FlowDriver) => d.command("cancel")],
    ["text menu", (d: FlowDriver) => d.text("  MENU ")],
    ["text batal", (d: FlowDriver) => d.text("Batal")],
    ["text cancel", (d: FlowDriver) => d.text("cancel")],
  ])(
    "asks before leaving a report on %s, keeps the answers and resumes at the same question",
    (_name, act) => {
      const d = FlowDriver.atMenu(lang);
      d.choose("menu:report");
      d.choose("report.situation:other");
      act(d);
      expect(d.state).toEqual({ report: "country" });
      expect(d.choiceIds).toEqual(["pending.leave:yes", "pending.leave:no"]);
      d.choose("pending.leave:no");
      expect(d.state).toEqual({ report: "country" });
      expect(d.said).toContain(t(lang, "report.country.prompt"));
      act(d);
      d.choose("pending.leave:yes");
      expect(d.state).toBe("menu");
      expect(d.context.report).toBeNull();
      expect(d.context.timerToken).toBeNull();
      expect(d.said).toContain(t(lang, "menu.prompt"));
      expect(d.choiceIds[0]).toBe("menu:resume");
      d.choose("menu:resume");
      expect(d.state).toEqual({ report: "country" });
      expect(d.context.report?.situation).toBe("other");
      expect(d.said).toContain(t(lang, "report.country.prompt"));
    },
  );

  it("goes straight to the menu on menu when nothing would be lost", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:qa");
    d.text("menu");
    expect(d.state).toBe("menu");
    expect(d.said).toContain(t(lang, "menu.prompt"));
  });

  it("re-asks the same step gently when free text comes where a choice is expected", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.text("tolong saya");
    expect(d.state).toEqual({ report: "situation" });
    expect(d.said).toContain(t(lang, "common.reask"));
    expect(d.said).toContain(t(lang, "report.situation.prompt"));
  });

  it("says the menu expired and repeats the current step for a choice from an older message", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("menu:qa");
    expect(d.state).toEqual({ report: "situation" });
    expect(d.said).toContain(t(lang, "common.expired"));
    expect(d.said).toContain(t(lang, "report.situation.prompt"));
    d.choose("report.danger:yes");
    expect(d.said).toContain(t(lang, "common.expired"));
    expect(d.effects("report.submitted")).toEqual([]);
  });

  it("asks politely to type or choose after a sticker or voice note and keeps the step", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.user({ type: "unsupported", kind: "voice" });
    expect(d.state).toEqual({ report: "country" });
    expect(d.said).toContain(t(lang, "common.unsupported"));
    expect(d.said).toContain(t(lang, "report.country.prompt"));
  });

  it("explains that a photo or location is not expected outside the evidence and location steps", () => {
    const d = FlowDriver.atMenu(lang);
    d.user({ type: "media", kind: "photo", ref: "ev-1" });
    expect(d.state).toBe("menu");
    expect(d.said).toContain(t(lang, "common.media_unexpected"));
    d.user({ type: "location", latitude: -8.65, longitude: 115.2 });
    expect(d.said).toContain(t(lang, "common.media_unexpected"));
    expect(d.said).toContain(t(lang, "menu.prompt"));
  });

  it("answers /help with short help and the menu", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:qa");
    d.command("help");
    expect(d.state).toBe("menu");
    expect(d.said).toContain(t(lang, "menu.help"));
    expect(d.said).toContain(t(lang, "menu.prompt"));
  });

  it("shows the emergency numbers with the date they were checked, then the menu", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:emergency");
    expect(d.state).toBe("menu");
    for (const n of [
      "110",
      "112",
      "129",
      "021-129",
      "08111-129-129",
      "0800-1000",
      "+62-21-29244800",
      "0811-8080-141",
    ]) {
      expect(d.said).toContain(n);
    }
    expect(d.said).toContain(t(lang, "emergency.checked"));
    expect(d.choiceIds).toContain("menu:report");
  });

  it("deletes at once when /hapus is the very first message, instead of asking for a language", () => {
    const d = new FlowDriver();
    d.command("delete");
    expect(d.effects("conversation.delete")).toHaveLength(1);
    expect(d.said).toContain(t("id", "menu.delete.done"));
    expect(d.state).toBe("start");
  });

  it("never takes a story typed at the delete question as a yes, and still takes a short yes", () => {
    const d = FlowDriver.atMenu(lang);
    d.command("delete");
    // Opens with "ada" (there is), which answers a yes/no question; a story is no answer to this one.
    d.text("ada 12 cewek dikurung di rumah penampungan di denpasar, gk boleh keluar hp disita");
    expect(d.effects("conversation.delete")).toHaveLength(0);
    expect(d.said).toContain(t(lang, "typed.danger.indonesia"));
    d.command("delete");
    d.text(lang === "id" ? "iya hapus" : "yes delete it");
    expect(d.effects("conversation.delete")).toHaveLength(1);
  });

  it("deletes the conversation after confirmation and tells how to clear the chat on the phone", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.command("delete");
    expect(d.state).toEqual({ report: "situation" });
    expect(d.choiceIds).toEqual(["pending.delete:yes", "pending.delete:no"]);
    d.choose("pending.delete:yes");
    expect(d.effects("conversation.delete")).toHaveLength(1);
    expect(d.said).toContain(t(lang, "menu.delete.done"));
    expect(d.replies.at(-1)).toEqual({ type: "end" });
    expect(d.state).toBe("start");
    expect(d.context.report).toBeNull();
    d.command("start");
    expect(d.state).toBe("language");
  });

  it("keeps everything and returns to the exact question when the deletion is not confirmed", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.command("delete");
    d.text(lang === "id" ? "tidak" : "no");
    expect(d.state).toEqual({ report: "country" });
    expect(d.said).toContain(t(lang, "report.country.prompt"));
    expect(d.context.report?.situation).toBe("other");
    expect(d.effects("conversation.delete")).toEqual([]);
    d.choose("menu:delete");
    expect(d.said).toContain(t(lang, "common.expired"));
  });

  it("wipes the draft and returns to the menu silently when the matching idle timer fires", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    const [schedule] = d.effects("schedule");
    expect(schedule).toMatchObject({ name: "idle", delayMs: IDLE_MS });
    d.choose("report.situation:held_or_forced_work");
    const token = d.effects("schedule")[0]?.token ?? "";
    expect(token).toBe(d.context.timerToken);
    d.send({ type: "timer.fired", name: "idle", token: schedule?.token ?? "" });
    expect(d.state).toEqual({ report: "country" });
    expect(d.outputs).toEqual([]);
    d.send({ type: "timer.fired", name: "idle", token });
    expect(d.state).toBe("menu");
    expect(d.outputs).toEqual([]);
    expect(d.context.report).toBeNull();
    d.send({ type: "timer.fired", name: "idle", token });
    expect(d.outputs).toEqual([]);
    d.choose("menu:qa");
    expect(d.state).toEqual({ qa: "ask" });
  });

  it("shows a pushed case update without leaving the current step", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.send({ type: "case.update", code: "TPPO-7K3M-9QX2", text: "Apakah agennya di Denpasar?" });
    expect(d.state).toEqual({ report: "country" });
    expect(d.said).toContain("TPPO-7K3M-9QX2");
    expect(d.said).toContain("Apakah agennya di Denpasar?");
    expect(d.said).toContain(t(lang, "report.country.prompt"));
    expect(d.context.report?.situation).toBe("other");
  });

  it("ignores engine answers that arrive outside the step waiting for them", () => {
    const d = FlowDriver.atMenu(lang);
    d.send({ type: "report.stored", code: "TPPO-AAAA-BBBB", pin: "1234" });
    d.send({ type: "status.result", result: { ok: false } });
    d.send({ type: "case.appended", ok: true });
    expect(d.state).toBe("menu");
    expect(d.outputs).toEqual([]);
  });
});
