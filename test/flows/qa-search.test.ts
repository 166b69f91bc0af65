import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LANGS } from "../../src/flows/content/catalog.ts";
import type { Lang } from "../../src/flows/message.ts";
import { qaEntries, qaEntry, searchQa } from "../../src/flows/qa-search.ts";

const ids = (lang: Lang) => qaEntries(lang).map((e) => e.id);
const top = (lang: Lang, query: string) => searchQa(lang, query)[0]?.id;

describe("qa knowledge base", () => {
  it("has at least 30 entries with the same ids in Indonesian and English", () => {
    expect(ids("id").length).toBeGreaterThanOrEqual(30);
    expect([...ids("en")].sort()).toEqual([...ids("id")].sort());
    expect(new Set(ids("id")).size).toBe(ids("id").length);
  });

  it("keeps questions within 120 and answers within 900 characters", () => {
    for (const lang of LANGS) {
      for (const e of qaEntries(lang)) {
        expect(e.question.length, `${lang} ${e.id}`).toBeLessThanOrEqual(120);
        expect(e.answer.length, `${lang} ${e.id}`).toBeLessThanOrEqual(900);
        expect(e.answer.trim().length, `${lang} ${e.id}`).toBeGreaterThan(0);
      }
    }
  });

  it("looks entries up by id and returns undefined for an unknown id", () => {
    expect(qaEntry("id", "check_agency")?.answer).toContain("SISKOP2MI");
    expect(qaEntry("en", "placement_costs")?.answer).toContain("Art. 30");
    expect(qaEntry("en", "no_such_entry")).toBeUndefined();
  });

  it("never promises that the police will come", () => {
    expect(qaEntry("id", "after_report")?.answer).toContain("tidak bisa menjanjikan");
    expect(qaEntry("en", "after_report")?.answer).toContain("cannot promise");
  });
});

describe("searchQa", () => {
  it("answers synchronously with an array, not a Promise", () => {
    const result: unknown = searchQa("id", "biaya");
    expect(Array.isArray(result)).toBe(true);
  });

  it("finds the agency check for 'pengecekan agen' through Indonesian stemming", () => {
    expect(top("id", "pengecekan agen")).toBe("check_agency");
  });

  it("finds the costs entry for 'biayanya berapa'", () => {
    expect(top("id", "biayanya berapa")).toBe("placement_costs");
  });

  it("matches 'menempatkan' with entries about 'penempatan'", () => {
    const hits = searchQa("id", "menempatkan");
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(`${hit.question} ${hit.answer}`.toLowerCase()).toContain("penempatan");
    expect(hits[0]?.question.toLowerCase()).toContain("penempatan");
    expect(hits.map((h) => h.id)).toContain("placement_costs");
  });

  it("finds English entries for English queries", () => {
    expect(top("en", "how to check an agency")).toBe("check_agency");
    expect(top("en", "how much does it cost")).toBe("placement_costs");
    expect(top("en", "delete my data")).toBe("delete_data");
    expect(searchQa("en", "tourist visa")[0]?.question).toMatch(/tourist/i);
  });

  it("still hits with a typo", () => {
    expect(top("id", "pasport")).toBe("passport");
    expect(top("id", "vissa turis")).toBe("tourist_visa");
    expect(top("en", "pasport")).toBe("passport");
  });

  it("finds topics named in DOMAIN", () => {
    expect(top("id", "kamboja")).toBe("non_placement_countries");
    expect(top("id", "apa itu tppo")).toBe("what_is_tppo");
    expect(top("id", "nomor darurat")).toBe("hotlines");
    expect(top("id", "apakah anonim")).toBe("how_to_report");
    expect(top("id", "arab saudi")).toBe("middle_east");
  });

  it("returns nothing for unrelated or nonsense queries", () => {
    for (const [lang, query] of [
      ["id", "resep pizza"],
      ["id", "asdfgh"],
      ["id", "cuaca hari ini"],
      ["en", "pizza recipe"],
      ["en", "asdfgh"],
      ["en", "football scores"],
      ["id", ""],
      ["en", "   ?!"],
    ] as const) {
      expect(searchQa(lang, query), `${lang} "${query}"`).toEqual([]);
    }
  });

  it("returns at most three entries and never throws, whatever the query", () => {
    fc.assert(
      fc.property(fc.constantFrom(...LANGS), fc.string({ maxLength: 300 }), (lang, query) => {
        const hits = searchQa(lang, query);
        expect(hits.length).toBeLessThanOrEqual(3);
        expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
      }),
      { numRuns: 200 },
    );
  });
});
