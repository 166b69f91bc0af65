import { describe, expect, it } from "vitest";
import { CASE_STATUSES, OUTCOMES } from "../../../src/bot/officers/officer-commands.ts";
import { allCatalogs } from "../../../src/flows/content/catalog.ts";
import { situationSchema } from "../../../src/flows/report.ts";

const keys = (lang: "id" | "en") =>
  [...(allCatalogs().get(lang)?.keys() ?? [])].filter((k) => k.startsWith("officers.")).sort();

describe("officers catalog", () => {
  it("has the same keys in Indonesian and English", () => {
    expect(keys("en")).toEqual(keys("id"));
    expect(keys("id").length).toBeGreaterThan(50);
  });

  it("has words for every situation, status, outcome and urgency", () => {
    const id = allCatalogs().get("id");
    for (const s of situationSchema.options) expect(id?.has(`officers.situation.${s}`)).toBe(true);
    for (const s of CASE_STATUSES) expect(id?.has(`officers.status.${s}`)).toBe(true);
    for (const o of OUTCOMES) {
      expect(id?.has(`officers.outcome.${o}`)).toBe(true);
      expect(id?.get(`officers.outcome_button.${o}`)?.length).toBeLessThanOrEqual(20);
      expect(allCatalogs().get("en")?.get(`officers.outcome_button.${o}`)?.length).toBeLessThanOrEqual(20);
    }
    for (const u of ["critical", "high", "normal"]) expect(id?.has(`officers.urgency.${u}`)).toBe(true);
  });
});
