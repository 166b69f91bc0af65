import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { type Lang, textOf } from "../../src/flows/message.ts";
import { checkQuestions } from "../../src/flows/migration-check.ts";
import { reportSchema } from "../../src/flows/report.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

const LANGS: Lang[] = ["id", "en"];

/** Walks a report from the menu to the review, answering every step. */
function fillReport(d: FlowDriver, danger: "yes" | "no" | "unsure" = "no"): void {
  d.choose("menu:report");
  d.choose("report.situation:scam_compound");
  d.text("Kamboja");
  d.text("Phnom Penh");
  d.user({ type: "location", latitude: 11.55, longitude: 104.92 });
  d.choose("report.when:now");
  d.choose("report.people:two_five");
  d.choose("report.minors:unsure");
  d.choose(`report.danger:${danger}`);
  d.choose("report.confined:yes");
  d.choose("report.passport:yes");
  d.choose("report.forced:no");
  d.choose("report.departure:no");
  d.text("Adik saya ditawari kerja customer service.");
  d.text("Sekarang tidak boleh keluar.");
  d.choose("report.narrative:done");
  d.text("PT Contoh Jaya, akun IG @contoh");
  d.user({ type: "media", kind: "photo", ref: "ev-1" });
  d.user({ type: "media", kind: "document", ref: "ev-2" });
  d.choose("report.evidence:done");
  d.choose("report.consent:yes");
}

/** Walks a report from the menu to the story: in Indonesia, one person, "no" to every yes/no question. */
function toStory(d: FlowDriver, situation: string): void {
  d.choose("menu:report");
  d.choose(`report.situation:${situation}`);
  d.choose("report.country:indonesia");
  d.choose("report.city:skip");
  d.choose("report.location:skip");
  d.choose("report.when:soon");
  d.choose("report.people:one");
  for (const step of ["minors", "danger", "confined", "passport", "forced", "departure"]) {
    d.choose(`report.${step}:no`);
  }
}

describe.each(LANGS)("report flow (%s)", (lang) => {
  it("walks every question to a review that summarises the answers", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d);
    expect(d.state).toEqual({ report: "review" });
    expect(d.said).toContain("Phnom Penh, Kamboja");
    expect(d.said).toContain("Adik saya ditawari kerja customer service.\n\nSekarang tidak boleh keluar.");
    expect(d.said).toContain("PT Contoh Jaya");
    expect(d.said).toContain(t(lang, "report.review.files", { count: 2 }));
    expect(d.choiceIds).toEqual([
      "report.review:confirm",
      "report.review:edit_story",
      "report.review:edit_recruiter",
      "report.review:edit_where",
      "report.review:restart",
      "report.review:cancel",
    ]);
  });

  it("shows the emergency guidance right after 'danger now: yes', before the next question", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    for (const step of [
      () => d.choose("report.situation:held_or_forced_work"),
      () => d.choose("report.country:indonesia"),
      () => d.choose("report.city:skip"),
      () => d.choose("report.location:skip"),
      () => d.text("tadi malam"),
      () => d.text("1"),
      () => d.choose("report.minors:no"),
    ])
      step();
    d.choose("report.danger:yes");
    const texts = d.replies.map((m) => textOf(m) ?? "");
    expect(texts[0]).toBe(t(lang, "typed.danger.indonesia"));
    expect(texts[0]).toContain("110");
    expect(texts[0]).toContain("112");
    expect(texts[0]).toContain("129");
    expect(texts[1]).toBe(t(lang, "report.confined.prompt"));
    expect(d.context.report?.dangerNow).toBe("yes");
  });

  it("shows the emergency guidance for 'not sure' too, but not when nobody is in danger now", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d, "no");
    expect(d.context.report?.dangerNow).toBe("no");
    const d2 = FlowDriver.atMenu(lang);
    d2.choose("menu:report");
    d2.choose("report.situation:other");
    d2.choose("report.country:unknown");
    d2.choose("report.city:skip");
    d2.choose("report.location:skip");
    d2.choose("report.when:earlier");
    d2.choose("report.people:unknown");
    d2.choose("report.minors:no");
    d2.choose("report.danger:unsure");
    expect(d2.said).toContain(t(lang, "typed.danger.unknown"));
    expect(d2.context.report?.dangerNow).toBe("unsure");
  });

  it("emits a valid report on confirm and shows code and PIN once with triage and next steps", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d, "yes");
    d.choose("report.review:confirm");
    const [submitted] = d.effects("report.submitted");
    const report = reportSchema.parse(submitted?.report);
    expect(report).toMatchObject({
      lang,
      situation: "scam_compound",
      country: "Kamboja",
      city: "Phnom Penh",
      location: { latitude: 11.55, longitude: 104.92 },
      peopleCount: 2,
      minorsInvolved: "unsure",
      dangerNow: "yes",
      confined: true,
      passportWithheld: true,
      forcedWorkOrDebt: false,
      departureWithin72h: false,
      recruiter: "PT Contoh Jaya, akun IG @contoh",
      evidenceRefs: ["ev-1", "ev-2"],
      consentContact: true,
    });
    expect(d.state).toEqual({ report: "submitting" });
    d.send({ type: "report.stored", code: "TPPO-7K3M-9QX2", pin: "482913", passedOn: true });
    expect(d.said).toContain("TPPO-7K3M-9QX2");
    expect(d.said).toContain("482913");
    expect(d.said).toContain(t(lang, "triage.level.critical"));
    // Cambodia: the numbers that work abroad, not the Indonesian police line.
    expect(d.said).toContain(t(lang, "typed.danger.abroad"));
    expect(d.said).not.toContain(t(lang, "typed.danger.indonesia"));
    expect(d.said).toContain(t(lang, "triage.reasons.danger_now"));
    expect(d.said).toContain(t(lang, "report.next_steps.contact"));
    expect(d.state).toBe("menu");
    expect(JSON.stringify(d.persisted)).not.toContain("482913");
    expect(d.context.report).toBeNull();
  });

  it("after a report, advises not to confront the recruiter, to keep evidence safe and how to clear the chat", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d, "yes");
    d.choose("report.review:confirm");
    d.send({ type: "report.stored", code: "TPPO-7K3M-9QX2", pin: "482913", passedOn: true });
    expect(d.said).toContain(t(lang, "report.safety"));
    expect(d.said).toContain(t(lang, "common.clear_chat"));
    expect(d.said).not.toMatch(/ditindaklanjuti|followed up|follow up/);
  });

  it("does not claim the report was passed to officers when nobody could be alerted", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d, "yes");
    d.choose("report.review:confirm");
    d.send({ type: "report.stored", code: "TPPO-7K3M-9QX2", pin: "482913", passedOn: false });
    expect(d.said).toContain(t(lang, "triage.stored.critical"));
    expect(d.said).not.toContain(t(lang, "triage.level.critical"));
  });

  it("apologises on report.failed, keeps the draft and sends it again on retry", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d);
    d.choose("report.review:confirm");
    d.send({ type: "report.failed" });
    expect(d.state).toEqual({ report: "failed" });
    expect(d.said).toContain(t(lang, "report.failed.prompt"));
    expect(d.context.report?.narrative).toContain("customer service");
    d.choose("report.failed:retry");
    expect(d.effects("report.submitted")).toHaveLength(1);
    d.send({ type: "report.stored", code: "TPPO-AAAA-BBBB", pin: "111222" });
    expect(d.said).toContain(t(lang, "report.next_steps.contact"));
    expect(d.state).toBe("menu");
  });

  it("on report.limited says the report was not sent, how to add to an existing one, and shows the menu", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d);
    d.choose("report.review:confirm");
    d.send({ type: "report.limited" });
    expect(d.state).toBe("menu");
    expect(d.said).toContain(t(lang, "report.limited"));
    expect(d.said).toContain(t(lang, "menu.prompt"));
    expect(d.context.report).toBeNull();
    // The answers are kept: "Continue report" in the menu brings back the review, to send another day.
    expect(d.choiceIds).toContain("menu:resume");
    d.choose("menu:resume");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report?.narrative).not.toBe("");
  });

  it("edits the story, the recruiter and the place from the review and comes back to it", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d);
    const before = d.context.report?.narrative ?? "";
    d.choose("report.review:edit_story");
    expect(d.state).toEqual({ report: "narrative" });
    // The story so far is shown; typing adds to it.
    expect(d.said).toContain("Adik saya ditawari kerja customer service.");
    expect(d.choiceIds).toEqual(["report.narrative:done", "report.narrative:rewrite"]);
    d.text("Tambahan: agennya pindah kantor.");
    d.choose("report.narrative:done");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report?.narrative).toBe(`${before}\n\nTambahan: agennya pindah kantor.`);
    // Or it is written again.
    d.choose("report.review:edit_story");
    d.choose("report.narrative:rewrite");
    expect(d.context.report?.narrative).toBe("");
    d.text("Cerita baru.");
    d.choose("report.narrative:done");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report?.narrative).toBe("Cerita baru.");
    d.choose("report.review:edit_recruiter");
    d.choose("report.recruiter:skip");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report?.recruiter).toBeUndefined();
    d.choose("report.review:edit_where");
    d.text("Malaysia");
    d.choose("report.city:skip");
    d.choose("report.location:skip");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report).toMatchObject({ country: "Malaysia" });
    expect(d.context.report?.city).toBeUndefined();
    expect(d.context.report?.location).toBeUndefined();
    expect(d.context.editing).toBe(false);
  });

  it("takes the recruiter the story names instead of asking for it, and lets the review change it", () => {
    const d = FlowDriver.atMenu(lang);
    toStory(d, "recruitment_fraud");
    d.text("sy daftar lewat pt. sinar abadi di denpasar, mereka minta 15 juta");
    d.choose("report.narrative:done");
    expect(d.state).toEqual({ report: "evidence" });
    expect(d.context.report?.recruiter).toBe("PT Sinar Abadi");
    d.choose("report.evidence:skip");
    d.choose("report.consent:no");
    expect(d.said).toContain("PT Sinar Abadi");
    d.choose("report.review:edit_recruiter");
    d.text("PT Sinar Abadi Jaya, kantor di Denpasar");
    expect(d.state).toEqual({ report: "review" });
    expect(d.context.report?.recruiter).toBe("PT Sinar Abadi Jaya, kantor di Denpasar");
  });

  it.each([
    ["gk ada lg", "ga dibayar 3 bulan"],
    ["skip", "dia dipukul"],
    ["no more", "they took her phone"],
    ["udah itu aja kak", "tidak boleh keluar"],
  ])("ends the story at '%s' without adding it, and keeps '%s' as a line of it", (end, line) => {
    const d = FlowDriver.atMenu(lang);
    toStory(d, "held_or_forced_work");
    d.text("majikan ambil hp nya");
    d.text(line);
    expect(d.state).toEqual({ report: "narrative" });
    d.text(end);
    expect(d.state).toEqual({ report: "recruiter" });
    expect(d.context.report?.narrative).toBe(`majikan ambil hp nya\n\n${line}`);
  });

  it("answers 'ya' at the evidence question with how to send a file, and 'tidak' skips it", () => {
    const d = FlowDriver.atMenu(lang);
    toStory(d, "recruitment_fraud");
    d.choose("report.narrative:skip");
    d.choose("report.recruiter:skip");
    expect(d.state).toEqual({ report: "evidence" });
    d.text(lang === "id" ? "ya" : "yes");
    expect(d.said).toContain(t(lang, "report.evidence.send_now"));
    expect(d.state).toEqual({ report: "evidence" });
    d.text(lang === "id" ? "tidak" : "no");
    expect(d.state).toEqual({ report: "consent" });
  });

  it("starts over from the first question, or cancels to the menu, from the review", () => {
    const d = FlowDriver.atMenu(lang);
    fillReport(d);
    d.choose("report.review:restart");
    expect(d.state).toEqual({ report: "situation" });
    expect(d.context.report).toEqual({ narrative: "", evidenceRefs: [] });
    const d2 = FlowDriver.atMenu(lang);
    fillReport(d2);
    d2.choose("report.review:cancel");
    expect(d2.state).toBe("menu");
    expect(d2.context.report).toBeNull();
  });

  it("lets the reporter skip the story, the recruiter and the evidence", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.choose("report.situation:recruitment_fraud");
    d.choose("report.country:indonesia");
    d.choose("report.city:skip");
    d.choose("report.location:skip");
    d.choose("report.when:soon");
    d.choose("report.people:one");
    d.choose("report.minors:no");
    d.choose("report.danger:no");
    d.choose("report.confined:no");
    d.choose("report.passport:no");
    d.choose("report.forced:no");
    d.choose("report.departure:yes");
    d.choose("report.narrative:skip");
    d.choose("report.recruiter:skip");
    d.text("ini foto");
    expect(d.said).toContain(t(lang, "common.reask"));
    d.choose("report.evidence:skip");
    d.choose("report.consent:no");
    d.choose("report.review:confirm");
    const report = reportSchema.parse(d.effects("report.submitted")[0]?.report);
    expect(report).toMatchObject({
      narrative: "",
      evidenceRefs: [],
      departureWithin72h: true,
      consentContact: false,
    });
    d.send({ type: "report.stored", code: "TPPO-CCCC-DDDD", pin: "999000" });
    expect(d.said).toContain(t(lang, "report.next_steps.no_contact"));
    expect(d.said).toContain(t(lang, "triage.level.normal"));
  });

  it("starts a report pre-filled from the safe-migration check when the recruiter is reported", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    for (const q of checkQuestions) {
      if (q.id === "destination") d.text("Kamboja");
      else if (q.id === "agency") d.text("PT Maju Terus");
      else if (q.kind === "text") d.choose(`check.q.${q.id}:skip`);
      else d.choose(`check.q.${q.id}:yes`);
    }
    expect(d.state).toEqual({ check: "result" });
    d.choose("check.result:report");
    expect(d.said).toContain(t(lang, "report.prefilled"));
    expect(d.state).toEqual({ report: "city" });
    expect(d.context.report).toMatchObject({
      situation: "recruitment_fraud",
      country: "Kamboja",
      recruiter: "PT Maju Terus",
    });
    expect(d.context.report?.migration?.destination).toBe("Kamboja");
    expect(d.context.check).toBeNull();
  });
});
