import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  generateReportCode,
  isReportCode,
  normalizeReportCode,
} from "../../../src/bot/officers/report-code.ts";

const bodyArb = fc.string({ unit: fc.constantFrom(...CODE_ALPHABET), minLength: 8, maxLength: 8 });

describe("report code", () => {
  it("uses no confusable characters", () => {
    for (const ch of "01OIL") expect(CODE_ALPHABET).not.toContain(ch);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
  });

  it("generates canonical codes with a neutral prefix, like REF-7K3M-9QX2", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateReportCode((n) => new Uint8Array(randomBytes(n)));
      expect(code).toMatch(/^REF-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(code).not.toMatch(/TPPO/);
      expect(isReportCode(code)).toBe(true);
    }
  });

  it("skips bytes that would bias the alphabet and keeps asking for more", () => {
    // 255 is above the rejection limit; 0 maps to "2" and 30 to "Z".
    const batches = [new Uint8Array([255, 255, 0, 30]), new Uint8Array([0, 30, 0, 30, 0, 30, 255])];
    let call = 0;
    const code = generateReportCode(() => batches[Math.min(call++, 1)] as Uint8Array);
    expect(code).toBe("REF-2Z2Z-2Z2Z");
  });

  it("normalises lowercase, spaces and missing dashes to the canonical code", () => {
    expect(normalizeReportCode("ref-7k3m-9qx2")).toBe("REF-7K3M-9QX2");
    expect(normalizeReportCode(" REF 7K3M 9QX2 ")).toBe("REF-7K3M-9QX2");
    expect(normalizeReportCode("ref7k3m9qx2")).toBe("REF-7K3M-9QX2");
    expect(normalizeReportCode("7k3m9qx2")).toBe("REF-7K3M-9QX2");
    expect(normalizeReportCode("7K3M-9QX2")).toBe("REF-7K3M-9QX2");
  });

  it("still reads codes issued with the old TPPO prefix as those codes", () => {
    expect(normalizeReportCode("TPPO-7K3M-9QX2")).toBe("TPPO-7K3M-9QX2");
    expect(normalizeReportCode("tppo 7k3m 9qx2")).toBe("TPPO-7K3M-9QX2");
    expect(normalizeReportCode("tppo7k3m9qx2")).toBe("TPPO-7K3M-9QX2");
    expect(isReportCode("TPPO-7K3M-9QX2")).toBe(true);
  });

  it("rejects confusable characters, wrong lengths and other prefixes", () => {
    expect(normalizeReportCode("REF-7K3M-9QX0")).toBeUndefined();
    expect(normalizeReportCode("REF-7K3M-9QXI")).toBeUndefined();
    expect(normalizeReportCode("REF-7K3M-9QX")).toBeUndefined();
    expect(normalizeReportCode("ABCD-7K3M-9QX2")).toBeUndefined();
    expect(normalizeReportCode("")).toBeUndefined();
    expect(isReportCode("ref-7k3m-9qx2")).toBe(false);
  });

  it("maps any messy spelling of a valid code back to it (property)", () => {
    fc.assert(
      fc.property(
        bodyArb,
        fc.constantFrom("", "ref", "tppo", "REF", "TPPO"),
        fc.array(fc.constantFrom(" ", "-", "."), { maxLength: 3 }),
        (body, prefix, sep) => {
          const canonical = `${prefix.toUpperCase() === "TPPO" ? "TPPO" : "REF"}-${body.slice(0, 4)}-${body.slice(4)}`;
          const typed = `${prefix}${sep.join("")}${body.slice(0, 4).toLowerCase()}${sep.join("")}${body.slice(4)}`;
          expect(normalizeReportCode(typed)).toBe(canonical);
          expect(isReportCode(canonical)).toBe(true);
        },
      ),
    );
  });

  it("returns either undefined or a canonical code for any input (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const out = normalizeReportCode(s);
        if (out !== undefined) expect(isReportCode(out)).toBe(true);
      }),
    );
  });
});
