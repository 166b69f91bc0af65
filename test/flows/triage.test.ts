import { describe, expect, it } from "vitest";
import { allCatalogs } from "../../src/flows/content/catalog.ts";
import { type Report, reportSchema } from "../../src/flows/report.ts";
import { TRIAGE_REASONS, type TriageReason, triage, type Urgency } from "../../src/flows/triage.ts";

function report(fields: Partial<Report>): Report {
  return reportSchema.parse({ lang: "id", situation: "other", ...fields });
}

const CASES: [string, Partial<Report>, Urgency, TriageReason[]][] = [
  [
    "offer in Cambodia as customer service, passport taken, leaving tomorrow",
    { situation: "recruitment_fraud", country: "Kamboja", passportWithheld: true, departureWithin72h: true },
    "high",
    ["departure_72h_red_flags", "passport_withheld"],
  ],
  [
    "my sister is locked in a house now",
    { situation: "held_or_forced_work", confined: true, dangerNow: "yes" },
    "critical",
    ["danger_now", "confined", "forced_work_or_debt"],
  ],
  ["someone in danger now, nothing else known", { dangerNow: "yes" }, "critical", ["danger_now"]],
  [
    "fraud 'happening now' (the when option) with nobody in danger now is not critical",
    { situation: "recruitment_fraud", when: "Sedang terjadi", dangerNow: "no" },
    "normal",
    [],
  ],
  [
    "'happening now' in English, likewise",
    { situation: "recruitment_fraud", when: "Happening now", dangerNow: "no" },
    "normal",
    [],
  ],
  [
    "leaving in two days to the Middle East with an unsure answer: advice, not red flags",
    {
      situation: "recruitment_fraud",
      departureWithin72h: true,
      migration: { flags: { tourist_visa: "unsure", social_media_offer: "yes" }, destination: "Arab Saudi" },
    },
    "normal",
    [],
  ],
  [
    "guarded in a compound, danger unsure",
    { situation: "scam_compound", confined: true },
    "critical",
    ["confined", "forced_work_or_debt"],
  ],
  [
    "a child locked in now",
    { situation: "child_involved", confined: true },
    "critical",
    ["confined", "child_at_risk_now", "minor_involved"],
  ],
  [
    "minors among victims in danger now",
    { minorsInvolved: "yes", dangerNow: "yes" },
    "critical",
    ["danger_now", "child_at_risk_now", "minor_involved"],
  ],
  [
    "a 16-year-old recruited, not in danger",
    { minorsInvolved: "yes", dangerNow: "no" },
    "high",
    ["minor_involved"],
  ],
  [
    "passport held by the employer abroad",
    { country: "Malaysia", passportWithheld: true },
    "high",
    ["passport_withheld"],
  ],
  ["debt bondage on a plantation", { forcedWorkOrDebt: true }, "high", ["forced_work_or_debt"]],
  [
    "leaving in two days on a tourist visa found through social media",
    {
      situation: "recruitment_fraud",
      migration: { flags: { tourist_visa: "yes", social_media_offer: "yes" }, departureSoon: true },
    },
    "high",
    ["departure_72h_red_flags"],
  ],
  [
    "leaving tomorrow with only one red flag",
    { situation: "recruitment_fraud", country: "Kamboja", departureWithin72h: true },
    "normal",
    [],
  ],
  [
    "leaving soon but the answers were only 'not sure'",
    {
      situation: "recruitment_fraud",
      migration: { flags: { tourist_visa: "unsure", social_media_offer: "unsure" }, departureSoon: true },
    },
    "normal",
    [],
  ],
  [
    "suspicious recruiter, no victim yet",
    { situation: "recruitment_fraud", country: "Malaysia" },
    "normal",
    [],
  ],
  [
    "forced scam work in a compound now is high, even without departure",
    { situation: "scam_compound", country: "Myanmar" },
    "high",
    ["forced_work_or_debt"],
  ],
  ["danger 'not sure' only", { dangerNow: "unsure", minorsInvolved: "unsure" }, "normal", []],
  [
    "scam compound departure within 72h with passport held",
    { situation: "scam_compound", departureWithin72h: true, passportWithheld: true },
    "high",
    ["departure_72h_red_flags", "passport_withheld", "forced_work_or_debt"],
  ],
  [
    "a child in sexual exploitation is at risk now",
    { situation: "sexual_exploitation", forcedWorkOrDebt: true, minorsInvolved: "yes" },
    "critical",
    ["child_at_risk_now", "forced_work_or_debt", "minor_involved"],
  ],
];

describe("triage", () => {
  it.each(CASES)("rates '%s' correctly", (_name, fields, urgency, reasons) => {
    const result = triage(report(fields));
    expect({ urgency: result.urgency, reasons: result.reasons }).toEqual({ urgency, reasons });
  });

  it("reads the story: typed words raise reasons and are listed for officers", () => {
    const result = triage(
      report({ narrative: "tolong kakak sy gk boleh pulang, hp nya disita majikan", dangerNow: "unsure" }),
    );
    expect(result.urgency).toBe("critical");
    expect(result.reasons).toContain("danger_now");
    expect(result.typed).toContainEqual({
      reason: "danger_now",
      words: expect.stringContaining("boleh pulang"),
    });
  });

  it("does not raise danger for negated or past words", () => {
    expect(triage(report({ narrative: "adik sy gk dikurung kok, cuma gaji telat" })).urgency).toBe("normal");
    expect(triage(report({ narrative: "dulu pernah disekap tp skrg udh pulang" })).urgency).toBe("normal");
  });

  it("counts red flags typed in the story for a departure within 72 hours", () => {
    const result = triage(
      report({ narrative: "berangkat besok ke kamboja pake visa turis, bayar 15 juta ke agen dari fb" }),
    );
    expect(result.reasons).toContain("departure_72h_red_flags");
    expect(result.urgency).toBe("high");
  });

  it("keeps a 'not sure' danger answer as unsure, never as no", () => {
    const r = report({ dangerNow: "unsure" });
    expect(r.dangerNow).toBe("unsure");
    expect(triage(r).urgency).toBe("normal");
  });

  it("has a plain-words text for every urgency and reason in every language", () => {
    for (const catalog of allCatalogs().values()) {
      for (const level of ["critical", "high", "normal"])
        expect(catalog.has(`triage.level.${level}`)).toBe(true);
      for (const r of TRIAGE_REASONS) expect(catalog.has(`triage.reasons.${r}`)).toBe(true);
    }
  });
});
