import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allCatalogs, hasKey, LANGS, t } from "../../src/flows/content/catalog.ts";
import { checkAnswersFrom } from "../../src/flows/draft-effects.ts";
import type { Lang } from "../../src/flows/message.ts";
import {
  assessCheck,
  type CheckAnswers,
  type CheckResult,
  checkQuestions,
  redFlagGroup,
  toMigrationAnswers,
} from "../../src/flows/migration-check.ts";
import { readPlaces } from "../../src/flows/migration-places.ts";
import {
  renderCheckDetail,
  renderCheckResult,
  renderFamilySummary,
} from "../../src/flows/migration-render.ts";
import { readAgency } from "../../src/flows/migration-text.ts";
import { migrationAnswersSchema } from "../../src/flows/report.ts";
import { understand } from "../../src/flows/understand/understand.ts";

const yesNoIds = checkQuestions.filter((q) => q.kind === "yesno").map((q) => q.id);
const notYetIds = checkQuestions.filter((q) => q.notYet).map((q) => q.id);
/** Questions where "no" is the risky answer ("Do you have a written contract?"). */
const noIsRisky = new Set([
  "agency_checked",
  "agency_met",
  "written_contract",
  "return_ticket",
  "registration",
  "opp",
  "bpjs",
]);

/** Every yes/no question answered the safe way. */
const safe: CheckAnswers = Object.fromEntries(yesNoIds.map((id) => [id, noIsRisky.has(id) ? "yes" : "no"]));
const allRisky: CheckAnswers = Object.fromEntries(
  yesNoIds.map((id) => [id, noIsRisky.has(id) ? "no" : "yes"]),
);
const allUnsure: CheckAnswers = Object.fromEntries(yesNoIds.map((id) => [id, "unsure"]));
const allNotYet: CheckAnswers = { ...safe, ...Object.fromEntries(notYetIds.map((id) => [id, "not_yet"])) };

/** Someone early in a legal process: licensed PT, fees per the official breakdown, papers still to come. */
const taiwanFactory: CheckAnswers = {
  ...safe,
  destination: "Taiwan",
  job: "operator pabrik elektronik",
  agency: "PT Maju Jaya Abadi",
  agency_checked: "not_yet",
  job_differs: "not_yet",
  fee_above_official: "no",
  fee_no_receipt: "no",
  written_contract: "not_yet",
  return_ticket: "not_yet",
  registration: "not_yet",
  opp: "not_yet",
  bpjs: "not_yet",
};

const ids = (items: { id: string }[]) => items.map((i) => i.id);
/** Text without bracketed parts, so a text matches whether or not an acronym was explained in it. */
const bare = (text: string) => text.replace(/ \([^()]*\)/g, "");
const rendered = (lang: Lang, answers: CheckAnswers) => {
  const result = assessCheck(answers);
  return {
    result,
    first: renderCheckResult(lang, result, answers),
    detail: renderCheckDetail(lang, result, answers).join("\n\n"),
  };
};

describe("checkQuestions", () => {
  it("asks destination, recruiter and job as text, then one yes/no question per red flag", () => {
    expect(checkQuestions.filter((q) => q.kind === "text").map((q) => q.id)).toEqual([
      "destination",
      "agency",
      "job",
    ]);
    expect(yesNoIds).toContain("departure_soon");
    expect(yesNoIds.length).toBeGreaterThanOrEqual(15);
    expect(new Set(checkQuestions.map((q) => q.id)).size).toBe(checkQuestions.length);
  });

  it("offers 'not yet' for the contract, the orientation (OPP) and the return ticket", () => {
    for (const id of ["written_contract", "opp", "return_ticket"]) expect(notYetIds).toContain(id);
    expect(notYetIds).not.toContain("passport_kept");
  });

  it("asks one thing per question: one question mark, no 'and' joining two asks, compound asks split", () => {
    for (const lang of LANGS) {
      for (const q of checkQuestions) {
        const text = t(lang, q.key);
        expect(text.match(/\?/g), `${lang} ${q.id}`).toHaveLength(1);
        const ask = text.slice(0, text.indexOf("?"));
        expect(ask, `${lang} ${q.id}`).not.toMatch(/\b(dan|and|serta|lalu|then)\b/i);
      }
    }
    // Social media and salary; licence and meeting in person; Disnaker, OPP and BPJS: one question each.
    for (const id of [
      "social_media_offer",
      "salary_too_good",
      "agency_checked",
      "agency_met",
      "registration",
      "opp",
      "bpjs",
      "job_differs",
    ]) {
      expect(yesNoIds).toContain(id);
    }
    expect(t("id", "migration.questions.social_media_offer")).not.toMatch(/gaji/);
    expect(t("id", "migration.questions.agency_checked")).not.toMatch(/bertemu/);
    expect(t("en", "migration.questions.opp")).not.toMatch(/BPJS|Disnaker/);
  });

  it("asks about fees against the official cost breakdown, not about any fee", () => {
    for (const lang of LANGS) {
      const fee = t(lang, "migration.questions.fee_above_official");
      expect(fee).toMatch(lang === "id" ? /rincian biaya resmi/ : /official cost breakdown/);
    }
    expect(yesNoIds).toEqual(expect.arrayContaining(["fee_above_official", "fee_no_receipt", "fees_debt"]));
  });
});

describe("assessCheck", () => {
  const cases: { name: string; answers: CheckAnswers; level: CheckResult["level"]; ids: string[] }[] = [
    { name: "no answers at all", answers: {}, level: "low", ids: [] },
    {
      name: "every answer safe",
      answers: { ...safe, destination: "Jepang", job: "perawat", agency: "PT Contoh" },
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
    {
      name: "a debt cut from wages",
      answers: { ...safe, fees_debt: "yes" },
      level: "high",
      ids: ["fees_debt"],
    },
    {
      name: "fees above the official breakdown",
      answers: { ...safe, fee_above_official: "yes" },
      level: "medium",
      ids: ["fee_above_official"],
    },
    {
      name: "paying without a receipt",
      answers: { ...safe, fee_no_receipt: "yes" },
      level: "medium",
      ids: ["fee_no_receipt"],
    },
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
      name: "Thailand alone (not a legal destination)",
      answers: { destination: "Thailand" },
      level: "medium",
      ids: ["destination_thailand"],
    },
    {
      name: "recruited through social media",
      answers: { ...safe, social_media_offer: "yes" },
      level: "medium",
      ids: ["social_media_offer"],
    },
    {
      name: "a too-good salary",
      answers: { ...safe, salary_too_good: "yes" },
      level: "medium",
      ids: ["salary_too_good"],
    },
    {
      name: "a job in the visa different from the promise",
      answers: { ...safe, job_differs: "yes" },
      level: "medium",
      ids: ["job_differs"],
    },
    {
      name: "there will be no written contract",
      answers: { ...safe, written_contract: "no" },
      level: "medium",
      ids: ["written_contract"],
    },
    {
      name: "three red flags",
      answers: { ...safe, social_media_offer: "yes", transit_route: "yes", departure_soon: "yes" },
      level: "high",
      ids: ["social_media_offer", "transit_route", "departure_soon"],
    },
    {
      name: "social media and salary (one red flag of DOMAIN's list) and a transit",
      answers: { ...safe, social_media_offer: "yes", salary_too_good: "yes", transit_route: "yes" },
      level: "medium",
      ids: ["social_media_offer", "salary_too_good", "transit_route"],
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
      expect(ids(result.findings).sort()).toEqual([...c.ids].sort());
    });
  }

  it("lists critical findings before the others", () => {
    const result = assessCheck({ ...safe, social_media_offer: "yes", passport_kept: "yes" });
    expect(ids(result.findings)).toEqual(["passport_kept", "social_media_offer"]);
  });

  it("ignores answers it does not recognise", () => {
    expect(
      assessCheck({ ...safe, tourist_visa: "maybe", passport_kept: "not_yet", unknown_question: "yes" }),
    ).toEqual({
      level: "low",
      findings: [],
      todo: [],
    });
  });

  it("rates a legal Taiwan factory applicant early in the process as low or medium, with a to-do list", () => {
    const result = assessCheck(taiwanFactory);
    expect(["low", "medium"]).toContain(result.level);
    expect(result.findings.filter((f) => !f.key.endsWith(".unsure"))).toEqual([]);
    expect(ids(result.todo)).toEqual(
      expect.arrayContaining(["agency_company", "written_contract", "return_ticket", "opp", "bpjs"]),
    );
    for (const lang of LANGS) {
      const { first, detail } = rendered(lang, taiwanFactory);
      expect(bare(first.join("\n"))).toContain(bare(t(lang, `migration.result.header.${result.level}`)));
      expect(first.join("\n")).toContain(t(lang, "migration.result.points_intro"));
      expect(detail).toContain(t(lang, "migration.result.todo_intro"));
      for (const item of result.todo)
        expect(bare(detail)).toContain(bare(t(lang, item.key).split("\n")[0] ?? ""));
    }
    // A fee per the official breakdown is not a finding either way it is answered.
    expect(
      assessCheck({ ...taiwanFactory, fee_above_official: "no", fee_no_receipt: "no" }).findings,
    ).toEqual([]);
  });

  it("rates a Cambodia 'customer service' offer on a visit visa as high", () => {
    const answers: CheckAnswers = {
      ...safe,
      destination: "Kamboja",
      job: "customer service",
      agency: "Pak Made",
      tourist_visa: "yes",
      salary_too_good: "yes",
    };
    const result = assessCheck(answers);
    expect(result.level).toBe("high");
    expect(ids(result.findings)).toEqual(
      expect.arrayContaining([
        "destination_non_placement",
        "tourist_visa",
        "salary_too_good",
        "agency_individual",
      ]),
    );
    // Even with every other answer safe and only the destination typed with a typo.
    expect(assessCheck({ ...safe, destination: "kmboja", job: "customer service" }).level).toBe("high");
  });

  it("treats 'not yet' differently from 'no' for the contract, the OPP and the return ticket", () => {
    for (const id of ["written_contract", "opp", "return_ticket"]) {
      const notYet = assessCheck({ ...safe, [id]: "not_yet" });
      expect(notYet.level, id).toBe("low");
      expect(notYet.findings, id).toEqual([]);
      expect(ids(notYet.todo), id).toEqual([id]);

      const no = assessCheck({ ...safe, [id]: "no" });
      expect(no.level, id).toBe("medium");
      expect(no.findings, id).toEqual([{ id, key: `migration.findings.${id}.risky` }]);
      expect(no.todo, id).toEqual([]);

      expect(toMigrationAnswers({ ...safe, [id]: "not_yet" }).flags[id], id).toBeUndefined();
      expect(toMigrationAnswers({ ...safe, [id]: "no" }).flags[id], id).toBe("no");
    }
  });

  it("counts 'not yet' as missing when departure is within 72 hours", () => {
    const result = assessCheck({ ...safe, written_contract: "not_yet", departure_soon: "yes" });
    expect(ids(result.findings).sort()).toEqual(["departure_soon", "written_contract"]);
    expect(result.findings.every((f) => f.key.endsWith(".risky"))).toBe(true);
    const report = toMigrationAnswers({ ...safe, written_contract: "not_yet", departure_soon: "yes" });
    expect(report.flags.written_contract).toBe("no");
  });

  it("raises a finding for an individual, sponsor or calo recruiter, and gives a PT the SISKOP2MI advice", () => {
    for (const agency of [
      "calo",
      "lewat caloo",
      "Sponsor dari desa",
      "sponsr",
      "orang desa",
      "Pak Wayan",
      "Budi Santoso",
      "a person from my village",
    ]) {
      const result = assessCheck({ ...safe, agency });
      expect(ids(result.findings), agency).toEqual(["agency_individual"]);
      expect(result.level, agency).toBe("medium");
      expect(result.findings[0]?.key).toMatch(/\.risky$/);
    }
    for (const agency of ["PT Maju Jaya", "pt. sinar abadi", "P.T. Contoh Sejahtera", "PT Made Jaya"]) {
      const answers = { ...safe, agency, agency_checked: "not_yet" };
      const result = assessCheck(answers);
      expect(result.findings, agency).toEqual([]);
      expect(ids(result.todo), agency).toEqual(["agency_company"]);
      for (const lang of LANGS) {
        const advice = t(lang, "migration.todo.agency_company");
        expect(advice).toContain("siskop2mi.bp2mi.go.id");
        expect(renderCheckResult(lang, result, answers).join("\n")).toContain(
          advice.split("\n")[0]?.slice(0, 20),
        );
      }
    }
    // A checked and listed PT needs no advice; not knowing the recruiter is a "not sure" finding.
    expect(assessCheck({ ...safe, agency: "PT Maju Jaya", agency_checked: "yes" }).todo).toEqual([]);
    expect(assessCheck({ ...safe, agency: "belum tahu" }).findings).toEqual([
      { id: "agency", key: "migration.findings.agency.unsure" },
    ]);
    expect(readAgency("Disnaker Denpasar")).toBe("official");
  });

  it("gives a domestic worker bound for the Middle East the moratorium advice, and a nurse no warning", () => {
    for (const [destination, job] of [
      ["Arab Saudi", "pekerja rumah tangga"],
      ["saudy", "PRT"],
      ["Dubai", "babysitter"],
    ] as const) {
      const result = assessCheck({ ...safe, destination, job });
      expect(result.findings, destination).toEqual([
        { id: "destination_middle_east", key: "migration.findings.destination_middle_east.check" },
      ]);
      expect(result.level).toBe("medium");
      for (const lang of LANGS) {
        const text = t(lang, "migration.findings.destination_middle_east.check");
        expect(text).toContain("2015");
        expect(text).toContain("BP3MI");
      }
    }
    for (const job of ["perawat", "nurse", "perawat rumah sakit"]) {
      const result = assessCheck({ ...safe, destination: "Arab Saudi", job });
      expect(result.level, job).toBe("low");
      expect(result.findings, job).toEqual([]);
      expect(ids(result.todo), job).not.toContain("middle_east_job");
    }
    // The Middle East alone, job not told: advice, not a warning.
    const unknownJob = assessCheck({ ...safe, destination: "Qatar" });
    expect(unknownJob.level).toBe("low");
    expect(unknownJob.findings).toEqual([]);
    expect(ids(unknownJob.todo)).toEqual(["middle_east_job"]);
  });

  it("reads country names with typos", () => {
    const kinds = (text: string) => [...readPlaces(text).kinds].sort();
    expect(kinds("kmboja")).toEqual(["non_placement"]);
    expect(kinds("Kambojaaa")).toEqual(["non_placement"]);
    expect(kinds("myanmr")).toEqual(["non_placement"]);
    expect(kinds("malasya")).toEqual(["placement"]);
    expect(kinds("saudy")).toEqual(["middle_east"]);
    expect(kinds("tailand")).toEqual(["thailand"]);
    expect(kinds("ke kmboja lewat tailand")).toEqual(["non_placement", "thailand"]);
    // Everyday words one letter away from a country are not that country.
    expect(kinds("pabrik mesin")).toEqual([]);
    expect(kinds("Taiwan")).toEqual(["placement"]);
    expect(kinds("Jepang")).toEqual(["placement"]);
    expect(assessCheck({ ...safe, destination: "kmboja" }).level).toBe("high");
    expect(ids(assessCheck({ ...safe, destination: "tailand" }).findings)).toEqual(["destination_thailand"]);
    expect(assessCheck({ ...safe, destination: "malasya" })).toEqual({
      level: "low",
      findings: [],
      todo: [],
    });
  });

  it("tells the jobs whose costs are never charged to the worker (BP2MI Regulation 9/2020)", () => {
    expect(ids(assessCheck({ ...safe, destination: "Taiwan", job: "ABK kapal ikan" }).todo)).toEqual([
      "free_job",
    ]);
    expect(ids(assessCheck({ ...safe, destination: "Taiwan", job: "pabrik" }).todo)).toEqual([]);
  });
});

describe("redFlagGroup", () => {
  it("counts the split questions as the one DOMAIN red flag they belong to", () => {
    expect(redFlagGroup("salary_too_good")).toBe("social_media_offer");
    expect(redFlagGroup("fee_no_receipt")).toBe("fees_debt");
    expect(redFlagGroup("agency_individual")).toBe("agency_checked");
    expect(redFlagGroup("opp")).toBe("preparation");
    expect(redFlagGroup("tourist_visa")).toBe("tourist_visa");
  });
});

describe("checkAnswersFrom (a typed offer)", () => {
  const from = (typed: string) => checkAnswersFrom(typed, understand(typed));

  it("takes a debt cut from wages as a red flag, but not a fee alone", () => {
    expect(from("kerja ke taiwan, bayar 15 juta").fees_debt).toBeUndefined();
    expect(from("kerja ke malaysia, nanti utang dipotong gaji").fees_debt).toBe("yes");
  });

  it("maps a calo, 'never met' and 'no contract yet' to the right questions", () => {
    expect(from("tawaran kerja ke malaysia lewat calo").agency).toBe("calo");
    expect(from("ada tawaran kerja tapi belum ada kontrak").written_contract).toBe("not_yet");
    expect(from("tawaran kerja tanpa kontrak").written_contract).toBe("no");
    expect(from("job offer in taiwan, no contract yet").written_contract).toBe("not_yet");
    expect(from("gaji 15 juta kerja admin").salary_too_good).toBe("yes");
    for (const id of Object.keys(
      from("lewat fb, gaji besar, calo, visa turis, tanpa tiket pulang, berangkat besok"),
    )) {
      for (const lang of LANGS) expect(hasKey(lang, `typed.known.${id}`), `${lang} ${id}`).toBe(true);
    }
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
  it("gives the result as one message: the verdict first, at most three points, the helpline", () => {
    for (const lang of LANGS) {
      for (const answers of [allRisky, allUnsure, allNotYet, taiwanFactory, safe]) {
        const { result, first, detail } = rendered(lang, answers);
        expect(first).toHaveLength(1);
        const text = first[0] ?? "";
        expect(text.startsWith(t(lang, `migration.result.header.${result.level}`).slice(0, 30))).toBe(true);
        expect((text.match(/^• /gm) ?? []).length).toBeLessThanOrEqual(3);
        expect(text).toContain("0800-1000");
        // "More detail" shows the rest: every finding and to-do item in full.
        for (const item of [...result.findings, ...result.todo]) {
          const full = t(lang, item.key).split("\n");
          for (const line of full) expect(bare(detail)).toContain(bare(line));
        }
      }
    }
    const { first } = rendered("id", allRisky);
    expect(first[0]).toContain(
      t("id", "migration.result.more", { count: assessCheck(allRisky).findings.length - 3 }),
    );
  });

  it("always tells a low-risk user to verify the agency in SISKOP2MI and names KP2MI", () => {
    for (const lang of LANGS) {
      const text = renderCheckResult(lang, assessCheck(safe), safe).join("\n");
      expect(text).toContain("siskop2mi.bp2mi.go.id");
      expect(text).toContain("KP2MI");
      expect(text).toContain("0800-1000");
    }
  });

  it("shows the helplines exactly as DOMAIN has them, dated, in the detail", () => {
    const id = renderCheckDetail("id", assessCheck(allRisky), allRisky).join("\n");
    const en = renderCheckDetail("en", assessCheck(allRisky), allRisky).join("\n");
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
    expect(id).toContain(`(dicek ${t("id", "emergency.checked")})`);
    expect(en).toContain(`(checked ${t("en", "emergency.checked")})`);
    expect(id).not.toContain("{hotline");
  });

  it("explains SIP3MI, SISKOP2MI, LTSA, SKCK, OPP and BPJS where a text first uses them", () => {
    for (const lang of LANGS) {
      for (const answers of [allRisky, allUnsure, allNotYet, taiwanFactory, { ...safe, job: "PRT" }]) {
        const { first, detail } = rendered(lang, answers);
        for (const text of [...first, detail]) {
          for (const acronym of ["SIP3MI", "SISKOP2MI", "LTSA", "SKCK", "OPP", "BPJS"]) {
            const at = text.search(new RegExp(`\\b${acronym}\\b`));
            if (at < 0) continue;
            const explained = text.startsWith(" (", at + acronym.length) || text[at - 1] === "(";
            expect(explained, `${lang} ${acronym}: ${text.slice(Math.max(0, at - 30), at + 40)}`).toBe(true);
          }
        }
      }
    }
  });

  it("explains every finding of a high-risk result in the detail", () => {
    const answers = { ...allRisky, destination: "Kamboja lewat Thailand", agency: "PT Abc" };
    const result = assessCheck(answers);
    for (const lang of LANGS) {
      const detail = renderCheckDetail(lang, result, answers).join("\n");
      for (const f of result.findings) {
        for (const line of t(lang, f.key).split("\n")) expect(bare(detail)).toContain(bare(line));
      }
      expect(renderCheckResult(lang, result, answers).join("\n")).toContain("PT Abc");
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
    expect(renderCheckDetail("en", result, answers)).toEqual(renderCheckDetail("en", result, answers));
  });

  const answer = fc.constantFrom("yes", "no", "not_yet", "unsure", "", "whatever");
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
    .tuple(
      fc.dictionary(fc.constantFrom(...yesNoIds), answer),
      place,
      fc.oneof(fc.constantFrom("PRT", "perawat", "belum tahu", ""), fc.string({ maxLength: 300 })),
      fc.string({ maxLength: 4000 }),
    )
    .map(([flags, destination, job, agency]): CheckAnswers => ({ ...flags, destination, job, agency }));

  it("keeps every text within 1024 characters for any answers, in both languages", () => {
    fc.assert(
      fc.property(answersArb, fc.constantFrom(...LANGS), (answers, lang) => {
        const result = assessCheck(answers);
        const first = renderCheckResult(lang, result, answers);
        expect(first).toHaveLength(1);
        for (const text of [...first, ...renderCheckDetail(lang, result, answers)]) {
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
      { ...allRisky, destination: long, job: "PRT belum tahu", agency: "A".repeat(3000) },
      { ...allUnsure, destination: long, job: "C".repeat(300), agency: "B".repeat(3000) },
    ]) {
      for (const lang of LANGS) {
        const result = assessCheck(answers);
        for (const text of [
          ...renderCheckResult(lang, result, answers),
          ...renderCheckDetail(lang, result, answers),
        ])
          expect(text.length).toBeLessThanOrEqual(1024);
        expect(renderFamilySummary(lang, result, answers).length).toBeLessThanOrEqual(1024);
      }
    }
  });
});

describe("migration catalog", () => {
  const keysOf = (lang: "id" | "en") =>
    [...(allCatalogs().get(lang)?.keys() ?? [])].filter((k) => k.startsWith("migration.")).sort();

  it("has the same keys in Indonesian and English", () => {
    expect(keysOf("en")).toEqual(keysOf("id"));
  });

  it("has every key the questions, choices, findings, to-do items and summaries use, in both languages", () => {
    const places = ["Kamboja", "Thailand", "Arab Saudi", "belum tahu"];
    const results = [
      allRisky,
      allUnsure,
      allNotYet,
      safe,
      taiwanFactory,
      { ...safe, destination: "Qatar" },
      { ...safe, destination: "Qatar", job: "PRT", agency: "belum tahu" },
      { ...safe, job: "belum tahu", agency: "calo" },
      ...places.map((destination) => ({ destination })),
    ].map(assessCheck);
    const keys = new Set(checkQuestions.map((q) => q.key));
    for (const q of checkQuestions.filter((c) => c.notYet)) {
      for (const v of ["yes", "not_yet", "no", "unsure"]) keys.add(`migration.choices.${q.id}.${v}`);
    }
    for (const result of results) {
      for (const f of result.findings) keys.add(f.key).add(`migration.labels.${f.id}`);
      for (const i of result.todo) keys.add(i.key);
    }
    for (const level of ["low", "medium", "high"]) {
      keys.add(`migration.result.header.${level}`).add(`migration.family.level.${level}`);
    }
    expect(keys.size).toBeGreaterThan(80);
    for (const lang of LANGS) {
      expect([...keys].filter((k) => !hasKey(lang, k))).toEqual([]);
    }
  });

  it("keeps choice labels within 20 characters and each point (first line) short", () => {
    for (const lang of LANGS) {
      for (const [key, text] of allCatalogs().get(lang) ?? []) {
        if (key.startsWith("migration.choices."))
          expect(text.length, `${lang} ${key}`).toBeLessThanOrEqual(20);
        if (key.startsWith("migration.findings.") || key.startsWith("migration.todo.")) {
          expect((text.split("\n")[0] ?? "").length, `${lang} ${key}`).toBeLessThanOrEqual(200);
        }
      }
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
