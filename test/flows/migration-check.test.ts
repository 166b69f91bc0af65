import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allCatalogs, hasKey, LANGS } from "../../src/flows/content/catalog.ts";
import {
  assessCheck,
  type CheckAnswers,
  checkQuestions,
  renderCheckResult,
  renderFamilySummary,
  toMigrationAnswers,
} from "../../src/flows/migration-check.ts";
import { migrationAnswersSchema } from "../../src/flows/report.ts";

const yesNoIds = checkQuestions.filter((q) => q.kind === "yesno").map((q) => q.id);
/** Questions where "no" is the risky answer ("Do you have a written contract?"). */
const noIsRisky = new Set(["written_contract", "agency_checked", "return_ticket", "preparation"]);

/** Every yes/no question answered the safe way. */
const safe: CheckAnswers = Object.fromEntries(yesNoIds.map((id) => [id, noIsRisky.has(id) ? "yes" : "no"]));
const allRisky: CheckAnswers = Object.fromEntries(
  yesNoIds.map((id) => [id, noIsRisky.has(id) ? "no" : "yes"]),
);
const allUnsure: CheckAnswers = Object.fromEntries(yesNoIds.map((id) => [id, "unsure"]));

describe("checkQuestions", () => {
  it("asks destination and agency as text, then about ten red flags and departure_soon as yes/no", () => {
    expect(checkQuestions.filter((q) => q.kind === "text").map((q) => q.id)).toEqual([
      "destination",
      "agency",
    ]);
    expect(yesNoIds).toContain("departure_soon");
    expect(yesNoIds.length).toBeGreaterThanOrEqual(10);
    expect(new Set(checkQuestions.map((q) => q.id)).size).toBe(checkQuestions.length);
  });
});

describe("assessCheck", () => {
  const cases: { name: string; answers: CheckAnswers; level: "low" | "medium" | "high"; ids: string[] }[] = [
    { name: "no answers at all", answers: {}, level: "low", ids: [] },
    {
      name: "every answer safe",
      answers: { ...safe, destination: "Jepang", agency: "PT Contoh" },
      level: "low",
      ids: [],
    },
    { name: "tourist visa", answers: { ...safe, tourist_visa: "yes" }, level: "high", ids: ["tourist_visa"] },
    {
      name: "passport kept",
      answers: { ...safe, passport_kept: "yes" },
      level: "high",
      ids: ["passport_kept"],
    },
    { name: "large fees or debt", answers: { ...safe, fees_debt: "yes" }, level: "high", ids: ["fees_debt"] },
    {
      name: "falsified age",
      answers: { ...safe, falsified_docs: "yes" },
      level: "high",
      ids: ["falsified_docs"],
    },
    {
      name: "Cambodia as destination",
      answers: { ...safe, destination: "Kamboja" },
      level: "high",
      ids: ["destination_non_placement"],
    },
    {
      name: "Cambodia spelt in English, mixed case, padded",
      answers: { ...safe, destination: "  PHNOM PENH, CAMBODIA " },
      level: "high",
      ids: ["destination_non_placement"],
    },
    { name: "Laos", answers: { destination: "laos" }, level: "high", ids: ["destination_non_placement"] },
    {
      name: "Myanmar through Bangkok",
      answers: { destination: "Myanmar lewat Bangkok" },
      level: "high",
      ids: ["destination_non_placement", "destination_thailand"],
    },
    {
      name: "Thailand alone",
      answers: { destination: "Thailand" },
      level: "medium",
      ids: ["destination_thailand"],
    },
    {
      name: "Saudi Arabia (check the moratorium)",
      answers: { ...safe, destination: "Arab Saudi" },
      level: "medium",
      ids: ["destination_middle_east"],
    },
    {
      name: "one non-critical flag",
      answers: { ...safe, social_media_offer: "yes" },
      level: "medium",
      ids: ["social_media_offer"],
    },
    {
      name: "no written contract (no is the risky answer)",
      answers: { ...safe, written_contract: "no" },
      level: "medium",
      ids: ["written_contract"],
    },
    {
      name: "three non-critical flags",
      answers: { ...safe, social_media_offer: "yes", transit_route: "yes", departure_soon: "yes" },
      level: "high",
      ids: ["social_media_offer", "transit_route", "departure_soon"],
    },
    {
      name: "two unsure",
      answers: { ...safe, passport_kept: "unsure", written_contract: "unsure" },
      level: "medium",
      ids: ["written_contract", "passport_kept"],
    },
    { name: "one unsure", answers: { ...safe, tourist_visa: "unsure" }, level: "low", ids: ["tourist_visa"] },
    {
      name: "unknown destination and one unsure",
      answers: { ...safe, destination: "belum tahu", agency_checked: "unsure" },
      level: "medium",
      ids: ["agency_checked", "destination"],
    },
    { name: "Japan", answers: { ...safe, destination: "Japan" }, level: "low", ids: [] },
  ];

  for (const c of cases) {
    it(`rates "${c.name}" as ${c.level}`, () => {
      const result = assessCheck(c.answers);
      expect(result.level).toBe(c.level);
      expect(result.findings.map((f) => f.id).sort()).toEqual([...c.ids].sort());
    });
  }

  it("lists critical findings before the others", () => {
    const result = assessCheck({ ...safe, social_media_offer: "yes", passport_kept: "yes" });
    expect(result.findings.map((f) => f.id)).toEqual(["passport_kept", "social_media_offer"]);
  });

  it("ignores answers it does not recognise", () => {
    expect(assessCheck({ ...safe, tourist_visa: "maybe", unknown_question: "yes" })).toEqual({
      level: "low",
      findings: [],
    });
  });
});

describe("toMigrationAnswers", () => {
  it("carries yes/no answers, destination, agency and departure into a valid report section", () => {
    const answers = {
      ...allRisky,
      destination: "  Kamboja ",
      agency: "PT Abc",
      social_media_offer: "unsure",
    };
    const out = toMigrationAnswers(answers);
    expect(migrationAnswersSchema.parse(out)).toEqual(out);
    expect(out.flags.tourist_visa).toBe("yes");
    expect(out.flags.written_contract).toBe("no");
    expect(out.flags.social_media_offer).toBe("unsure");
    expect(out.destination).toBe("Kamboja");
    expect(out.agency).toBe("PT Abc");
    expect(out.departureSoon).toBe(true);
  });

  it("cuts long text to the report limits and leaves out what was not answered", () => {
    const out = toMigrationAnswers({ destination: "x".repeat(4000), agency: "  ", tourist_visa: "??" });
    expect(migrationAnswersSchema.safeParse(out).success).toBe(true);
    expect(out.destination?.length).toBe(200);
    expect(out.agency).toBeUndefined();
    expect(out.flags).toEqual({});
    expect(out.departureSoon).toBeUndefined();
    expect(toMigrationAnswers({ departure_soon: "no" }).departureSoon).toBe(false);
  });
});

describe("rendering", () => {
  it("always tells a low-risk user to verify the agency in SISKOP2MI and names KP2MI", () => {
    for (const lang of LANGS) {
      const text = renderCheckResult(lang, assessCheck(safe), safe).join("\n");
      expect(text).toContain("siskop2mi.bp2mi.go.id");
      expect(text).toContain("KP2MI");
      expect(text).toContain("0800-1000");
    }
  });

  it("shows the helplines exactly as DOMAIN has them, dated", () => {
    const id = renderCheckResult("id", assessCheck(allRisky), allRisky).join("\n");
    const en = renderCheckResult("en", assessCheck(allRisky), allRisky).join("\n");
    for (const text of [id, en]) {
      for (const n of [
        "0800-1000",
        "+62-21-29244800",
        "0811-8080-141",
        "08111-129-129",
        "021-129",
        "110",
        "112",
      ]) {
        expect(text).toContain(n);
      }
    }
    expect(id).toContain("(dicek April 2025)");
    expect(en).toContain("(checked April 2025)");
  });

  it("explains every finding of a high-risk result", () => {
    const answers = { ...allRisky, destination: "Kamboja lewat Thailand", agency: "PT Abc" };
    const result = assessCheck(answers);
    for (const lang of LANGS) {
      const text = renderCheckResult(lang, result, answers).join("\n");
      for (const f of result.findings) expect(text).toContain(allCatalogs().get(lang)?.get(f.key));
      expect(text).toContain("PT Abc");
    }
  });

  it("keeps the family summary short and says the level", () => {
    const answers = { ...allRisky, destination: "Kamboja", agency: "PT Abc" };
    const summary = renderFamilySummary("id", assessCheck(answers), answers);
    expect(summary).toContain("RISIKO TINGGI");
    expect(summary).toContain("PT Abc");
    expect(summary.length).toBeLessThanOrEqual(1024);
    expect(renderFamilySummary("en", assessCheck(safe), safe)).toContain("No warning signs");
  });

  it("gives the same texts for the same answers", () => {
    const answers = { ...allUnsure, destination: "Dubai" };
    const result = assessCheck(answers);
    expect(renderCheckResult("en", result, answers)).toEqual(renderCheckResult("en", result, answers));
  });

  const answer = fc.constantFrom("yes", "no", "unsure", "", "whatever");
  const place = fc.oneof(
    fc.constantFrom(
      "Kamboja",
      "myanmar",
      "LAOS",
      "Thailand",
      "Arab Saudi",
      "Dubai lewat Bangkok",
      "belum tahu",
      "",
    ),
    fc.string({ maxLength: 4000 }),
  );
  const answersArb = fc
    .tuple(fc.dictionary(fc.constantFrom(...yesNoIds), answer), place, fc.string({ maxLength: 4000 }))
    .map(([flags, destination, agency]): CheckAnswers => ({ ...flags, destination, agency }));

  it("keeps every text within 1024 characters for any answers, in both languages", () => {
    fc.assert(
      fc.property(answersArb, fc.constantFrom(...LANGS), (answers, lang) => {
        const result = assessCheck(answers);
        const texts = renderCheckResult(lang, result, answers);
        expect(texts.length).toBeGreaterThan(0);
        for (const text of texts) {
          expect(text.trim().length).toBeGreaterThan(0);
          expect(text.length).toBeLessThanOrEqual(1024);
        }
        expect(renderFamilySummary(lang, result, answers).length).toBeLessThanOrEqual(1024);
        expect(migrationAnswersSchema.safeParse(toMigrationAnswers(answers)).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("fits the worst case (every flag, every destination finding, long names) within the limit", () => {
    const long = "Kamboja Thailand Arab Saudi belum tahu ".repeat(50);
    for (const answers of [
      { ...allRisky, destination: long, agency: "A".repeat(3000) },
      { ...allUnsure, destination: long, agency: "B".repeat(3000) },
    ]) {
      for (const lang of LANGS) {
        const result = assessCheck(answers);
        for (const text of renderCheckResult(lang, result, answers))
          expect(text.length).toBeLessThanOrEqual(1024);
        expect(renderFamilySummary(lang, result, answers).length).toBeLessThanOrEqual(1024);
      }
    }
  });
});

describe("migration catalog", () => {
  const ids = (lang: "id" | "en") =>
    [...(allCatalogs().get(lang)?.keys() ?? [])].filter((k) => k.startsWith("migration.")).sort();

  it("has the same keys in Indonesian and English", () => {
    expect(ids("en")).toEqual(ids("id"));
  });

  it("has every key the questions, findings and summaries use, in both languages", () => {
    const places = ["Kamboja", "Thailand", "Arab Saudi", "belum tahu"];
    const results = [allRisky, allUnsure, safe, ...places.map((destination) => ({ destination }))].map(
      assessCheck,
    );
    const keys = new Set(checkQuestions.map((q) => q.key));
    for (const result of results) {
      for (const f of result.findings) keys.add(f.key).add(`migration.labels.${f.id}`);
    }
    for (const level of ["low", "medium", "high"]) {
      keys.add(`migration.result.header.${level}`).add(`migration.family.level.${level}`);
    }
    expect(keys.size).toBeGreaterThan(30);
    for (const lang of LANGS) {
      expect([...keys].filter((k) => !hasKey(lang, k))).toEqual([]);
    }
  });

  it("uses only phone numbers from DOMAIN", () => {
    const allowed = new Set(["0800-1000", "+62-21-29244800", "0811-8080-141", "08111-129-129", "021-129"]);
    for (const lang of LANGS) {
      for (const [key, text] of allCatalogs().get(lang) ?? []) {
        if (!key.startsWith("migration.") && !key.startsWith("qa.")) continue;
        for (const n of text.match(/\+?\d+(?:-\d+)+/g) ?? []) expect(allowed, `${lang} ${key}`).toContain(n);
      }
    }
  });
});
