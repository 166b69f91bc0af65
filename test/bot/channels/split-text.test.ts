import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitText, splitWithTail } from "../../../src/bot/channels/split-text.ts";
import { MAX_MESSAGE_TEXT } from "../../../src/bot/channels/telegram/to-telegram.ts";
import { WA_LIMITS } from "../../../src/bot/channels/whatsapp/send-schema.ts";

/** Every limit a channel splits text for. */
const LIMITS = [
  ["Telegram text", MAX_MESSAGE_TEXT],
  ["Telegram caption", 1024],
  ["WhatsApp text", WA_LIMITS.text],
  ["WhatsApp button body", WA_LIMITS.buttonBody],
  ["WhatsApp list body", WA_LIMITS.listBody],
  ["WhatsApp location request body", WA_LIMITS.locationBody],
] as const;

const piece = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("kata", "a", "Paspor", "ü", "é", "1", ".", ",", "!", "?", "»") },
  { weight: 4, arbitrary: fc.constantFrom(" ", "  ", "\n", "\n\n", "\n \n", "\t", ". ", "! ") },
  { weight: 2, arbitrary: fc.constantFrom("😀", "🇮🇩", "👩‍👩‍👧", "🙏🏽", "\u200d", "—", "…", "\u0301") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) },
);

/** Text around and above `limit`, with words, lines, paragraphs, emoji and long unbroken runs. */
const textAround = (limit: number) =>
  fc.oneof(
    fc.array(piece, { maxLength: 40 }).map((p) => p.join("")),
    fc.array(piece, { minLength: limit / 8, maxLength: limit / 2 }).map((p) => p.join("")),
    fc
      .tuple(fc.constantFrom("y", "😀", "e\u0301", "👨‍👩‍👧‍👦"), fc.integer({ min: 1, max: limit + 10 }))
      .map(([unit, n]) => unit.repeat(n)),
  );

const nonWhitespace = (s: string) => s.replace(/\s+/g, "");
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** True when the cut after `head` and before `rest` falls between the halves of a surrogate pair. */
function cutsPair(head: string, rest: string): boolean {
  return isHigh(head.charCodeAt(head.length - 1)) && isLow(rest.charCodeAt(0));
}

describe("splitText", () => {
  it.each(LIMITS)("keeps every part within the %s limit (%i), non-empty, content intact", (_, limit) => {
    fc.assert(
      fc.property(textAround(limit), (text) => {
        const parts = splitText(text, limit);
        for (const part of parts) {
          expect(part.length).toBeGreaterThan(0);
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(part).toBe(part.trim());
        }
        expect(nonWhitespace(parts.join(" "))).toBe(nonWhitespace(text));
        parts.slice(1).forEach((part, i) => {
          expect(cutsPair(parts[i] ?? "", part)).toBe(false);
        });
        if (text.trim() === "") expect(parts).toEqual([]);
        else if (text.trim().length <= limit) expect(parts).toEqual([text.trim()]);
      }),
      { numRuns: 150 },
    );
  });

  it("cuts at the last paragraph break that fits, then a line break, then a sentence end, then a space", () => {
    const sentences = (n: number) => "Kalimat satu. ".repeat(n).trim();
    const [a, b, c] = [sentences(57), sentences(21), sentences(57)];
    expect(splitText(`${a}\n\n${b}\n${c}`, 1300)).toEqual([a, `${b}\n${c}`]);
    expect(splitText(`${a}\n${b} ${c}`, 1300)).toEqual([a, `${b} ${c}`]);
    expect(splitText(`${"kata ".repeat(100)}akhir. lagi ${"kata ".repeat(50)}`, 600)).toEqual([
      `${"kata ".repeat(100)}akhir.`,
      `lagi ${"kata ".repeat(50).trim()}`,
    ]);
    expect(splitText("kata ".repeat(10), 12)).toEqual([
      "kata kata",
      "kata kata",
      "kata kata",
      "kata kata",
      "kata kata",
    ]);
  });

  it("cuts hard between graphemes when there is no boundary, never inside an emoji", () => {
    expect(splitText("y".repeat(9000), 4096).map((p) => p.length)).toEqual([4096, 4096, 808]);
    const family = "👨‍👩‍👧‍👦";
    const parts = splitText(family.repeat(300), 1024);
    expect(parts.join("")).toBe(family.repeat(300));
    for (const part of parts) expect(part.startsWith(family) && part.endsWith(family)).toBe(true);
  });

  it("gives no parts for blank text and rejects a limit below 2", () => {
    expect(splitText(" \n\n\t ", 10)).toEqual([]);
    expect(() => splitText("abc", 1)).toThrow(RangeError);
  });
});

describe("splitWithTail", () => {
  const tailLimits = LIMITS.filter(([name]) => name.startsWith("WhatsApp") && !name.endsWith("text"));

  it.each(tailLimits)("fits the tail in the %s (%i) and the head in text parts", (_, tailLimit) => {
    fc.assert(
      fc.property(textAround(tailLimit * 2), (text) => {
        const { head, tail } = splitWithTail(text, WA_LIMITS.text, tailLimit);
        expect(tail.length).toBeLessThanOrEqual(tailLimit);
        expect(tail === "").toBe(text.trim() === "");
        for (const part of head) {
          expect(part.length).toBeGreaterThan(0);
          expect(part.length).toBeLessThanOrEqual(WA_LIMITS.text);
        }
        expect(nonWhitespace([...head, tail].join(" "))).toBe(nonWhitespace(text));
        expect(cutsPair(head.at(-1) ?? "", tail)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps the question before the buttons whole", () => {
    const intro = "Paragraf panjang tentang migrasi aman. ".repeat(40).trim();
    const { head, tail } = splitWithTail(`${intro}\n\nSudah tanda tangan kontrak?`, 4096, 1024);
    expect(head).toHaveLength(1);
    expect(tail.endsWith("Sudah tanda tangan kontrak?")).toBe(true);
  });
});
