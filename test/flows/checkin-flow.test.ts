import { describe, expect, it } from "vitest";
import {
  checkinSchedule,
  DEFAULT_DAYS,
  daytimeFrom,
  isDaytime,
  localParts,
  readDate,
  todayAtHome,
  zoneOf,
} from "../../src/flows/checkin-time.ts";
import { normalizePhrase, safePhraseKey } from "../../src/flows/checkin-words.ts";
import { t } from "../../src/flows/content/catalog.ts";
import { type FlowOutput, textOf } from "../../src/flows/message.ts";
import { checkQuestions } from "../../src/flows/migration-check.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

const NOW = "2026-12-01T02:00:00.000Z";

/** A worker at the menu who opts in to check-ins for Riyadh, leaving 10/12/26, with a safe phrase. */
/** From the menu to the safe-phrase question of a check-in leaving on `departure`. */
function toSafePhrase(lang: "id" | "en", departure: string): FlowDriver {
  const d = FlowDriver.atMenu(lang);
  d.choose("menu:checkin");
  d.choose("checkin.hub:start");
  d.text(departure);
  d.text("Arab Saudi");
  d.text("Riyadh");
  d.choose("checkin.agency:skip");
  d.text("Keluarga Contoh");
  d.text("Mbak Contoh");
  d.choose("checkin.schedule:default");
  return d;
}

function optedIn(lang: "id" | "en" = "id", phrase = "Cuaca di sini panas sekali"): FlowDriver {
  const d = toSafePhrase(lang, "10/12/26");
  d.text(phrase);
  const out = d.choose("checkin.consent:yes");
  const start = out.find((o) => o.type === "checkin.start");
  expect(start).toEqual({
    type: "checkin.start",
    details: {
      nickname: "Mbak Contoh",
      departure: "2026-12-10",
      country: "Arab Saudi",
      city: "Riyadh",
      employer: "Keluarga Contoh",
    },
    safePhrase: phrase,
    consent: true,
  });
  d.send({ type: "checkin.started", ok: true, code: "KLG-ABCD-EFGH", now: NOW });
  return d;
}

const timers = (outputs: FlowOutput[]) =>
  outputs.flatMap((o) =>
    o.type === "schedule" ? [[o.name, o.at]] : o.type === "timer.cancel" ? [[o.name]] : [],
  );

describe("a departure date long past", () => {
  it("says plainly that no check-in is left to schedule, not 'first check-in: finished'", () => {
    const d = toSafePhrase("id", "1/1/25");
    d.choose("checkin.phrase:skip");
    d.choose("checkin.consent:yes");
    const out = d.send({ type: "checkin.started", ok: true, code: "KLG-ABCD-EFGH", now: NOW });
    expect(out.some((o) => o.type === "schedule")).toBe(false);
    expect(d.said).toContain(t("id", "checkin.done_past", { code: "KLG-ABCD-EFGH" }));
  });
});

describe("check-in times", () => {
  it("maps destinations to their time zones and asks at 10:00 local, never at night", () => {
    expect(zoneOf("Arab Saudi")).toBe("Asia/Riyadh");
    expect(zoneOf("kamboja")).toBe("Asia/Phnom_Penh");
    expect(zoneOf("Hong Kong")).toBe("Asia/Hong_Kong");
    expect(zoneOf("Atlantis")).toBe("Asia/Makassar");
    const schedule = checkinSchedule({ y: 2026, m: 12, d: 10 }, "Asia/Riyadh", DEFAULT_DAYS, new Date(NOW));
    expect(schedule).toHaveLength(11);
    // Day 1 after 10 December, 10:00 in Riyadh (UTC+3).
    expect(schedule[0]).toBe("2026-12-11T07:00:00.000Z");
    for (const at of schedule) {
      expect(isDaytime(new Date(at), "Asia/Riyadh")).toBe(true);
      expect(localParts(new Date(at), "Asia/Riyadh").h).toBe(10);
    }
    // Times already past are left out.
    expect(checkinSchedule({ y: 2026, m: 11, d: 29 }, "Asia/Riyadh", DEFAULT_DAYS, new Date(NOW))[0]).toBe(
      "2026-12-02T07:00:00.000Z",
    );
  });

  it("moves a night time to the next 08:00 local and keeps day times", () => {
    // 22:00 in Hong Kong (UTC+8) → 08:00 the next morning there.
    expect(daytimeFrom(new Date("2026-12-11T14:00:00Z"), "Asia/Hong_Kong").toISOString()).toBe(
      "2026-12-12T00:00:00.000Z",
    );
    // 03:00 → 08:00 the same day.
    expect(daytimeFrom(new Date("2026-12-11T19:00:00Z"), "Asia/Hong_Kong").toISOString()).toBe(
      "2026-12-12T00:00:00.000Z",
    );
    const noon = new Date("2026-12-11T04:00:00Z");
    expect(daytimeFrom(noon, "Asia/Hong_Kong")).toBe(noon);
  });

  it("reads typed dates and normalises safe phrases", () => {
    expect(readDate("10/12/26")).toEqual({ y: 2026, m: 12, d: 10 });
    expect(readDate("2026-12-10")).toEqual({ y: 2026, m: 12, d: 10 });
    // As people type it: the month's name, Indonesian or English, with or without "tgl".
    expect(readDate("20 des 2026")).toEqual({ y: 2026, m: 12, d: 20 });
    expect(readDate("tgl 3 Agustus 27")).toEqual({ y: 2027, m: 8, d: 3 });
    expect(readDate("Dec 20, 2026")).toEqual({ y: 2026, m: 12, d: 20 });
    expect(readDate("31 feb 2027")).toBeUndefined();
    expect(readDate("20 xyz 2026")).toBeUndefined();
    expect(readDate("31/02/2026")).toBeUndefined();
    // Without a year only with today's date (the engine stamps it on every message): the next such day.
    expect(readDate("besok")).toBeUndefined();
    expect(readDate("20 des")).toBeUndefined();
    expect(readDate("besok", "2026-12-31")).toEqual({ y: 2027, m: 1, d: 1 });
    expect(readDate("lusa", "2026-11-30")).toEqual({ y: 2026, m: 12, d: 2 });
    expect(readDate("hari ini", "2026-11-30")).toEqual({ y: 2026, m: 11, d: 30 });
    expect(readDate("Tomorrow.", "2026-11-30")).toEqual({ y: 2026, m: 12, d: 1 });
    expect(readDate("tgl 20 desember", "2026-11-30")).toEqual({ y: 2026, m: 12, d: 20 });
    expect(readDate("20/12", "2026-11-30")).toEqual({ y: 2026, m: 12, d: 20 });
    expect(readDate("Dec 20", "2026-11-30")).toEqual({ y: 2026, m: 12, d: 20 });
    expect(readDate("5 jan", "2026-11-30")).toEqual({ y: 2027, m: 1, d: 5 });
    expect(readDate("30 nov", "2026-11-30")).toEqual({ y: 2026, m: 11, d: 30 });
    expect(readDate("29 feb", "2026-11-30")).toBeUndefined();
    expect(readDate("20 xyz", "2026-11-30")).toBeUndefined();
    expect(normalizePhrase("  Cuaca di SINI, panas sekali!! ")).toBe("cuaca di sini panas sekali");
    // Spaces do not matter for a safe phrase: "di sini" and "disini" are the same sentence.
    expect(safePhraseKey("Cuaca di sini, panas sekali!")).toBe(safePhraseKey("cuaca disini panas sekali"));
  });
});

describe("a departure date typed without a year", () => {
  it("counts from today's date in Bali, which turns at midnight there (16:00 UTC)", () => {
    expect(todayAtHome(new Date("2026-12-31T15:59:59Z"))).toBe("2026-12-31");
    expect(todayAtHome(new Date("2026-12-31T15:59:00Z"))).toBe("2026-12-31");
    expect(todayAtHome(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01");
    expect(todayAtHome(new Date("2026-12-31T16:00:30Z"))).toBe("2027-01-01");
    expect(todayAtHome(new Date("2026-12-31T15:59:30Z"))).toBe("2026-12-31");
  });

  it("is read from the date the message arrived, in the flow", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:checkin");
    d.choose("checkin.hub:start");
    d.send({ type: "user.message", message: { type: "text", text: "tgl 5 januari" }, today: "2026-11-30" });
    expect(d.context.checkin?.date).toBe("2027-01-05");
    expect(d.state).toEqual({ checkin: "country" });
  });
});

describe.each(["id", "en"] as const)("check-in flow (%s)", (lang) => {
  it("takes the details, keeps the safe phrase out of the context, and schedules the first check-in", () => {
    const d = optedIn(lang);
    expect(d.state).toEqual({ checkin: "done" });
    expect(d.said).toContain("KLG-ABCD-EFGH");
    // The family code links whoever types it: where the channel can (Telegram), it offers to delete itself.
    const codeMessage = d.replies.find((m) => textOf(m)?.includes("KLG-ABCD-EFGH"));
    expect(codeMessage).toMatchObject({ erase: { label: t(lang, "common.erase_button") } });
    expect(d.context.checkin?.safePhrase).toBeUndefined();
    expect(JSON.stringify(d.persisted)).not.toContain("panas");
    expect(d.context.checkins?.zone).toBe("Asia/Riyadh");
    expect(timers(d.outputs)).toEqual([["checkin", "2026-12-11T07:00:00.000Z"]]);
  });

  it("asks at the timer, reminds in day time after 12 hours and counts a miss after 24", () => {
    const d = optedIn(lang);
    d.command("menu");
    const ask = d.send({ type: "timer.fired", name: "checkin", token: "x" });
    expect(d.said).toContain(t(lang, "checkin.ask.question"));
    expect(d.choiceIds).toEqual(["checkin.ask:ok", "checkin.ask:help", "checkin.ask:danger"]);
    expect(ask.find((o) => o.type === "reply")).toMatchObject({ purpose: "checkin" });
    // Asked at 10:00 Riyadh; +12 h is 22:00, so the reminder waits for 08:00 the next day.
    expect(timers(ask)).toEqual([
      ["checkin.remind", "2026-12-12T05:00:00.000Z"],
      ["checkin.missed", "2026-12-12T07:00:00.000Z"],
      ["checkin", "2026-12-13T07:00:00.000Z"],
    ]);
    expect(ask).toContainEqual({ type: "checkin.record", signal: "sent", index: 0 });
    d.send({ type: "timer.fired", name: "checkin.remind", token: "x" });
    expect(d.said).toContain(t(lang, "checkin.ask.reminder"));
    const missed = d.send({ type: "timer.fired", name: "checkin.missed", token: "x" });
    expect(missed).toEqual([{ type: "checkin.record", signal: "missed", index: 0, missed: 1 }]);
    // A reminder or miss with nothing waiting does nothing.
    expect(d.send({ type: "timer.fired", name: "checkin.missed", token: "x" })).toEqual([]);
    d.send({ type: "timer.fired", name: "checkin", token: "x" });
    expect(d.send({ type: "timer.fired", name: "checkin.missed", token: "x" })).toContainEqual({
      type: "checkin.record",
      signal: "missed",
      index: 1,
      missed: 2,
    });
  });

  it("takes typed answers: 'gpp' records the time, 'bahaya' gives the abroad guidance at once", () => {
    const d = optedIn(lang);
    d.command("menu");
    d.send({ type: "timer.fired", name: "checkin", token: "x" });
    const ok = d.text("gpp");
    expect(d.said).toBe(t(lang, "checkin.answer.ok"));
    expect(ok).toContainEqual({ type: "checkin.record", signal: "ok", index: 0 });
    expect(timers(ok)).toEqual([["checkin.remind"], ["checkin.missed"]]);
    d.send({ type: "timer.fired", name: "checkin", token: "x" });
    const danger = d.text("Bahaya");
    expect(d.replies[0]).toEqual({ type: "text", text: t(lang, "typed.danger.abroad") });
    expect(danger).toContainEqual({ type: "checkin.record", signal: "danger", index: 1 });
    d.send({ type: "timer.fired", name: "checkin", token: "x" });
    d.text("tolong");
    expect(d.said).toContain(t(lang, "typed.danger.abroad"));
    expect(d.outputs).toContainEqual({ type: "checkin.record", signal: "help", index: 2 });
  });

  it("answers the safe phrase with a neutral reply only, nothing on the screen that shows distress", () => {
    const d = optedIn(lang);
    d.command("menu");
    const out = d.send({
      type: "user.message",
      message: { type: "text", text: "cuaca di sini panas sekali" },
      safePhrase: true,
    });
    expect(d.replies.map((m) => m.type === "text" && m.text)).toEqual([t(lang, "checkin.safe.reply")]);
    expect(out).toContainEqual({ type: "checkin.record", signal: "safe_phrase", index: 0 });
    expect(d.state).toBe("menu");
  });

  it("/berhenti cancels every check-in timer and deletes the check-ins", () => {
    const d = optedIn(lang);
    const out = d.command("stop");
    expect(timers(out)).toEqual([["checkin"], ["checkin.remind"], ["checkin.missed"]]);
    expect(out).toContainEqual({ type: "checkin.stop" });
    expect(d.said).toBe(t(lang, "checkin.stopped"));
    expect(d.context.checkins).toBeNull();
  });

  it("/hapus also cancels the check-in timers and forgets the check-ins", () => {
    const d = optedIn(lang);
    d.command("delete");
    const out = d.choose("pending.delete:yes");
    expect(timers(out)).toEqual([["checkin"], ["checkin.remind"], ["checkin.missed"]]);
    expect(out).toContainEqual({ type: "checkin.stop", forget: true });
  });

  it("links a family member from a family code typed in a sentence, not as a report code", () => {
    const d = FlowDriver.atMenu(lang);
    const out = d.text("adik sy kasih kode KLG-7K3M-9QX2 katanya buat mantau dia");
    expect(out).toContainEqual({ type: "checkin.family", code: "KLG-7K3M-9QX2" });
    expect(d.state).toEqual({ checkin: "linking" });
  });

  it("links a family member from a code typed at the menu and shows what the worker allowed", () => {
    const d = FlowDriver.atMenu(lang);
    const out = d.text("klg abcd efgh");
    expect(out).toContainEqual({ type: "checkin.family", code: "KLG-ABCD-EFGH" });
    expect(d.state).toEqual({ checkin: "linking" });
    d.send({
      type: "checkin.family.info",
      ok: true,
      people: [{ nickname: "Mbak Contoh", destination: "Riyadh, Arab Saudi", lastOk: null, active: true }],
    });
    expect(d.state).toEqual({ checkin: "linked" });
    expect(d.said).toContain("Mbak Contoh");
    expect(d.said).toContain("Riyadh, Arab Saudi");
  });

  it("offers check-ins after the offer check result", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    for (const q of checkQuestions) d.text(q.kind === "text" ? "Malaysia" : "gak tau");
    expect(d.choiceIds).toContain("check.result:checkin");
    d.choose("check.result:checkin");
    expect(d.state).toEqual({ checkin: "date" });
  });
});
