import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

/** What people type where the report asks for a place. */
describe("report places as typed", () => {
  function atCountry(): FlowDriver {
    const d = FlowDriver.atMenu("id");
    d.text("lapor");
    d.choose("report.situation:held_or_forced_work");
    expect(d.state).toEqual({ report: "country" });
    return d;
  }

  /** A report of recruitment fraud in Denpasar, this week, at the number of people. */
  function atPeople(): FlowDriver {
    const d = FlowDriver.atMenu("id");
    d.text("lapor");
    d.choose("report.situation:recruitment_fraud");
    d.choose("report.country:indonesia");
    d.text("denpasar");
    d.choose("report.location:skip");
    d.choose("report.when:week");
    return d;
  }

  it("reads a town in Indonesia typed as the country as that town, in Indonesia, and does not ask the town again", () => {
    const d = atCountry();
    d.text("di batam");
    expect(d.context.report?.country).toBe(t("id", "report.country.indonesia"));
    expect(d.context.report?.city?.toLowerCase()).toBe("batam");
    expect(d.state).toEqual({ report: "location" });
  });

  it("reads a city abroad typed as the country as that city, in its country", () => {
    const d = atCountry();
    d.text("di dubai");
    expect(d.context.report?.country).toBe("Uni Emirat Arab");
    expect(d.context.report?.city?.toLowerCase()).toBe("dubai");
    expect(d.context.where).toBe("abroad");
    expect(d.state).toEqual({ report: "location" });
  });

  it("fills the country of a city abroad named in a story, in the person's language", () => {
    const d = new FlowDriver();
    d.text("my sister works in dubai, the agency took her passport and she is not paid");
    d.choose("pending.story:report");
    expect(d.context.report?.city?.toLowerCase()).toBe("dubai");
    expect(d.context.report?.country).toBe("United Arab Emirates");
    expect(d.state).toEqual({ report: "location" });
  });

  it("fills the country from a story typed at the first question, and does not ask it again", () => {
    const d = new FlowDriver();
    d.text("tlg sy");
    expect(d.state).toEqual({ report: "situation" });
    d.text("sy di kamboja skrg, disuruh nipu org lewat hp, kl ga capai target dipukul");
    expect(d.context.report?.country).toBe("Kamboja");
    expect(d.context.report?.situation).toBe("scam_compound");
    expect(d.state).toEqual({ report: "city" });
  });

  it("answers 'takut bgt' typed at the country question kindly and asks again, and does not take 'ya' as a town", () => {
    const d = atCountry();
    d.text("takut bgt");
    expect(d.context.report?.country).toBeUndefined();
    expect(d.state).toEqual({ report: "country" });
    expect(d.said).toContain(t("id", "typed.feeling"));
    expect(d.said).toContain(t("id", "report.country.prompt").slice(0, 20));
    d.text("kamboja");
    expect(d.state).toEqual({ report: "city" });
    d.text("ya");
    expect(d.context.report?.city).toBeUndefined();
    expect(d.said).toContain(t("id", "typed.place_unclear"));
    d.text("phnom penh");
    expect(d.context.report?.city).toBe("Phnom Penh");
  });

  it("keeps a country typed as the country", () => {
    const d = atCountry();
    d.text("malaysia");
    expect(d.context.report?.country).toBe("Malaysia");
    expect(d.state).toEqual({ report: "city" });
  });

  it("does not take typed danger as the name of a town: numbers first, the words join the story, the town is asked again", () => {
    const d2 = atCountry();
    d2.text("indonesia");
    expect(d2.state).toEqual({ report: "city" });
    d2.text("hp mau diambil");
    expect(d2.said).toContain("110");
    expect(d2.context.report?.city).toBeUndefined();
    expect(d2.context.report?.narrative).toContain("hp mau diambil");
    expect(d2.state).toEqual({ report: "city" });
    expect(d2.said).toContain(t("id", "typed.danger.kept"));
  });

  it("answers 'sy bingung' typed at a check question kindly and asks the same question again", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:check");
    const at = d.state;
    const index = d.context.check?.index;
    d.text("sy bingung");
    expect(d.state).toEqual(at);
    expect(d.context.check?.index).toBe(index);
    expect(d.context.check?.answers).toEqual({});
    expect(d.said).toContain(t("id", "typed.feeling"));
  });

  it.each([
    ["ga tau brp org, mungkin 5an", 5],
    ["sekitar tiga orang", 3],
    ["about 4 people i think", 4],
    ["lebih dari 10", 10],
  ])("takes %j typed as the number of people (%i), not as more of the story", (typed, count) => {
    const d = atPeople();
    expect(d.state).toEqual({ report: "people" });
    d.text(typed);
    expect(d.context.report?.peopleCount).toBe(count);
    expect(d.context.report?.narrative ?? "").not.toContain(typed);
    expect(d.state).toEqual({ report: "minors" });
  });

  it("keeps 'ga tau' at the confined, passport and forced-work questions as not sure, not as no", () => {
    const d = atPeople();
    d.text("5");
    d.text("tidak");
    d.text("tidak");
    expect(d.state).toEqual({ report: "confined" });
    d.text("ga tau");
    d.text("tidak");
    d.text("gak tau sih");
    expect(d.context.report?.unsure).toEqual(["confined", "forcedWorkOrDebt"]);
    expect(d.context.report?.confined).toBe(false);
    expect(d.context.report?.passportWithheld).toBe(false);
  });
});
