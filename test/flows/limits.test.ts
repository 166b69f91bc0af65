import { describe, expect, it } from "vitest";
import { clip, MAX_BODY, validateOutbound } from "../../src/flows/limits.ts";

describe("validateOutbound", () => {
  it("accepts a message within every limit", () => {
    expect(validateOutbound({ type: "text", text: "Halo", choices: [{ id: "a:b", label: "Ya" }] })).toEqual(
      [],
    );
    expect(validateOutbound({ type: "end" })).toEqual([]);
  });

  it("reports too many choices, long labels, descriptions and ids, and long bodies", () => {
    const choices = Array.from({ length: 11 }, (_, i) => ({ id: `x:${i}`, label: `Pilihan ${i}` }));
    expect(validateOutbound({ type: "text", text: "a".repeat(1025), choices })).toHaveLength(2);
    const bad = validateOutbound({
      type: "request",
      kind: "media",
      text: "ok",
      choices: [{ id: `é${"x".repeat(70)}`, label: "x".repeat(21), description: "d".repeat(73) }],
    });
    expect(bad).toHaveLength(4);
    expect(validateOutbound({ type: "text", text: "a".repeat(MAX_BODY + 1) })).toHaveLength(1);
  });
});

describe("clip", () => {
  it("keeps short text and cuts long text at a word boundary with an ellipsis", () => {
    expect(clip("pendek", 20)).toBe("pendek");
    const cut = clip("Berapa biaya penempatan ke Malaysia?", 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toBe("Berapa biaya…");
  });
});
