import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

/** A family about to pay must hear the danger before twenty more questions, and can ask "is it safe?" at any time. */
describe("the offer check, asked early", () => {
  it("warns at once when the typed offer already has serious warning signs", () => {
    const d = FlowDriver.atMenu("id");
    d.text(
      "ada yg nawarin kerja di kamboja gaji 15jt, berangkat pake visa turis, bayar 10 juta dulu ke sponsor",
    );
    expect(d.state).toEqual({ check: "question" });
    expect(d.said).toContain(t("id", "migration.early.warning"));
    expect(d.said).toContain(t("id", "migration.early.advice"));
    expect(d.said.indexOf(t("id", "migration.early.warning"))).toBeLessThan(
      d.said.indexOf(t("id", "migration.early.advice")),
    );
  });

  it("answers 'disuruh bayar 35jt dulu, wajar ga?' with the rule on fees at once, and says the country back with its capital", () => {
    const d = FlowDriver.atMenu("id");
    d.text("kakak sy ditawarin kerja di jepang sm LPK, disuruh bayar 35jt dulu. itu wajar ga?");
    expect(d.state).toEqual({ check: "question" });
    expect(d.said).toContain(t("id", "typed.check_fee", { words: "bayar 35 jt" }));
    expect(d.said).toContain(t("id", "typed.known.destination", { value: "Jepang" }));
    const en = FlowDriver.atMenu("en");
    en.text(
      "my cousin got a job offer on a cruise ship, the agency wants 30 million rupiah for training, is that normal?",
    );
    expect(en.said).toContain(t("en", "typed.check_fee", { words: "agency wants 30 million" }));
    // A debt cut from wages has its own early warning instead.
    const debt = FlowDriver.atMenu("en");
    debt.text("job offer in taiwan, the agent wants 20 million first as a loan cut from my salary");
    expect(debt.context.check?.answers.fees_debt).toBe("yes");
    expect(debt.said).not.toContain(t("en", "typed.check_fee", { words: "" }).slice(0, 20));
  });

  it("takes what a story typed at a question tells, says it back and asks on, instead of 'not understood'", () => {
    const d = FlowDriver.atMenu("id");
    d.text("sodara sy di tawarin kerja di kapal ikan taiwan lewat calo");
    const at = d.context.check?.index;
    d.text("katanya dia jg dpt lowongannya dari fb");
    expect(d.context.check?.answers.social_media_offer).toBe("yes");
    expect(d.said).toContain(t("id", "typed.known.social_media_offer"));
    expect(d.said).not.toContain(t("id", "common.reask"));
    expect(d.state).toEqual({ check: "question" });
    // A sentence that answers nothing is kept, and the same question comes again.
    const index = d.context.check?.index;
    d.text("orangnya baik sih kata ibu sy, sering ke rumah");
    expect(d.said).toContain(t("id", "typed.check_noted"));
    expect(d.context.check?.index).toBe(index);
    expect(d.state).toEqual({ check: "question" });
    // Gibberish is still asked again.
    d.text("asdf qwer zxcv uiop");
    expect(d.said).toContain(t("id", "common.reask"));
    expect(at).toBeDefined();
  });

  it("shows the early warning when a sign told at a question makes the offer high", () => {
    const d = FlowDriver.atMenu("en");
    d.text("I got a job offer in Japan as a factory worker through PT Maju Jaya, is it legit");
    expect(d.context.step).toBe("check.q.agency_checked");
    expect(d.said).not.toContain(t("en", "migration.early.warning"));
    d.text("agennya bilang nanti berangkat pake visa turis dulu");
    expect(d.context.check?.answers.tourist_visa).toBe("yes");
    expect(d.said).toContain(t("en", "migration.early.warning"));
    expect(d.state).toEqual({ check: "question" });
    // Told in what reads as a question (answered from the Q&A) or in a message that offers a report
    // instead: it counts in the check all the same.
    const asked = FlowDriver.atMenu("en");
    asked.text("I got a job offer in Japan as a factory worker through PT Maju Jaya, is it legit");
    asked.text("the agent said the visa will be a tourist visa");
    expect(asked.context.check?.answers.tourist_visa).toBe("yes");
    expect(asked.context.step).toBe("check.q.agency_checked");
    // An offer's terms told at a question are an answer, not a story to report.
    const terms = FlowDriver.atMenu("en");
    terms.text("I got a job offer in Japan as a factory worker through PT Maju Jaya, is it legit");
    terms.text("they want 20 million first as a loan cut from my salary later");
    expect(terms.context.check?.answers.fees_debt).toBe("yes");
    expect(terms.state).toEqual({ check: "question" });
    const leaving = FlowDriver.atMenu("en");
    leaving.text("I got a job offer in Japan as a factory worker through PT Maju Jaya, is it legit");
    leaving.text(
      "he cheated my neighbour last year, now he wants 20 million first as a loan cut from my salary",
    );
    expect(leaving.choiceIds).toEqual(["pending.leave:yes", "pending.leave:no"]);
    // What it told is said back with its warning at once, before the question whether to leave.
    expect(leaving.said).toContain(t("en", "migration.early.warning"));
    leaving.choose("pending.leave:no");
    expect(leaving.context.check?.answers.fees_debt).toBe("yes");
    expect(leaving.context.step).toBe("check.q.agency_checked");
    // Told in the answer to a question asking for words: the answer is kept, and the sign taken.
    const words = FlowDriver.atMenu("id");
    words.text("ada tawaran kerja di jepang jd buruh pabrik");
    expect(words.context.step).toBe("check.q.agency");
    words.text("temen lama sy, lowongannya dia share di fb");
    expect(words.context.check?.answers.agency).toBe("temen lama sy, lowongannya dia share di fb");
    expect(words.context.check?.answers.social_media_offer).toBe("yes");
    expect(words.said).toContain(t("id", "typed.known.social_media_offer"));
  });

  it("carries the offer as typed, and what was told at its questions, into a report made from the check", () => {
    const d = FlowDriver.atMenu("id");
    d.text("tawaran kerja di kamboja pake visa turis");
    d.text("yg nawarin temen lama sy, katanya kerjanya cuma admin");
    d.text("itu aman ga ya");
    expect(d.state).toEqual({ check: "result" });
    d.choose("check.result:report");
    expect(d.context.report?.narrative).toContain("tawaran kerja di kamboja pake visa turis");
    expect(d.context.report?.narrative).toContain("temen lama sy");
  });

  it("answers 'itu aman ga ya' typed at a question with the result when it is already high", () => {
    const d = FlowDriver.atMenu("id");
    d.text("tawaran kerja di kamboja pake visa turis");
    d.text("itu aman ga ya");
    expect(d.state).toEqual({ check: "result" });
    expect(d.said).toContain(t("id", "migration.result.header.high"));
    expect(d.context.check?.answers.job).toBeUndefined();
  });

  it("says what it looks like so far when not yet clear, and gives the result when asked again", () => {
    const d = FlowDriver.atMenu("en");
    d.text("I got a job offer in Japan as a factory worker, is it legit");
    const at = d.state;
    d.text("is it safe?");
    expect(d.state).toEqual(at);
    expect(d.said).not.toContain(t("en", "migration.early.warning"));
    expect(d.said).toMatch(/I cannot say yet/);
    d.text("result");
    expect(d.state).toEqual({ check: "result" });
  });

  it("gives no warning for an offer without warning signs", () => {
    const d = FlowDriver.atMenu("id");
    d.text("mau cek tawaran kerja");
    expect(d.state).toEqual({ check: "question" });
    expect(d.said).not.toContain(t("id", "migration.early.warning"));
  });

  it("answers 'is this deposit normal?' with the answer, not twenty questions, when no offer is told", () => {
    const d = FlowDriver.atMenu("id");
    d.text("klo agen minta uang jaminan 5jt wajar ga");
    expect(d.state).toEqual({ qa: "answered" });
    expect(d.context.check).toBeNull();
  });

  it("does not take 'makasih kak' as the answer to a check question", () => {
    const d = FlowDriver.atMenu("id");
    d.text("mau cek tawaran kerja");
    const at = d.state;
    d.text("makasih kak");
    expect(d.state).toEqual(at);
    expect(Object.values(d.context.check?.answers ?? {})).not.toContain("makasih kak");
  });
});
