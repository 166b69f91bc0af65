import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policeSummary } from "../../../src/bot/officers/case-summary.ts";
import { cleanForOfficers } from "../../../src/bot/officers/clean-text.ts";
import { block, oneLine } from "../../../src/bot/officers/text-format.ts";
import { reportSchema } from "../../../src/flows/report.ts";

/** Bidi controls, marks, zero-width and other invisible characters an attacker may type. */
const INVISIBLES = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u061c",
  "\u2060",
  "\u2061",
  "\u2062",
  "\u2063",
  "\u2064",
  "\ufeff",
  "\u00ad",
  "\u0007",
  "\u009b",
];

describe("cleanForOfficers", () => {
  it("removes every bidi, zero-width and control character and keeps the visible text and line breaks", () => {
    expect(cleanForOfficers(`Agen \u202eTPPO\u202c di\u200b Ba\u2066li\u2069\r\nbaris\u2028dua\ufeff`)).toBe(
      "Agen TPPO di Bali\nbaris\ndua",
    );
    for (const ch of INVISIBLES) expect(cleanForOfficers(`a${ch}b`)).toBe("ab");
    expect(cleanForOfficers("Jl. Fiktif 1 — 😀 ✔️ ümlaut\ttab")).toBe("Jl. Fiktif 1 — 😀 ✔️ ümlaut\ttab");
  });

  it("leaves no invisible character in any text", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...INVISIBLES), fc.string({ unit: "grapheme" }))),
        (parts) => {
          const out = cleanForOfficers(parts.join(""));
          expect(out).not.toMatch(/[\p{Cf}\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/u);
        },
      ),
    );
  });

  it("is applied by the officers' text helpers and so to the police summary", () => {
    expect(oneLine("Pak\u202e 0812\u200b", 100)).toBe("Pak 0812");
    expect(block("satu\u2067\ndua\u200f", 100)).toBe("satu\ndua");
    const message = policeSummary({
      code: "RPT-AAAA-BBBB",
      urgency: "critical",
      reasons: ["danger_now"],
      report: reportSchema.parse({
        lang: "id",
        situation: "held_or_forced_work",
        recruiter: "Agen \u202eFiktif\u202c",
        narrative: "Saya\u200b ditahan\u2066 di\u2069 mess\ufeff.",
      }),
      receivedAt: new Date("2025-04-07T01:30:00Z"),
      evidenceCount: 0,
    });
    if (message.type !== "text") throw new Error("expected text");
    expect(message.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/u);
    expect(message.text).toContain("Agen Fiktif");
    expect(message.text).toContain("Saya ditahan di mess.");
  });
});
