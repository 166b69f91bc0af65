import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCallbackData,
  encodeCallbackData,
  isHashed,
} from "../../../../src/bot/channels/telegram/callback-data.ts";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("callback data", () => {
  it("sends short ids as they are", () => {
    expect(encodeCallbackData("lang:id")).toBe("lang:id");
    expect(encodeCallbackData("x".repeat(64))).toBe("x".repeat(64));
    expect(decodeCallbackData("lang:id")).toBe("lang:id");
  });

  it("hashes ids over 64 bytes, including short multibyte ones, and maps them back against the offered ids", () => {
    const multibyte = "🙏".repeat(17); // 34 characters, 68 bytes
    for (const id of ["x".repeat(65), multibyte, `pilihan.${"é".repeat(40)}`]) {
      const data = encodeCallbackData(id);
      expect(isHashed(data)).toBe(true);
      expect(bytes(data)).toBeLessThanOrEqual(64);
      expect(encodeCallbackData(id)).toBe(data);
      expect(decodeCallbackData(data, ["a", id, "b"])).toBe(id);
      expect(decodeCallbackData(data, ["a", "b"])).toBe(data);
      expect(decodeCallbackData(data)).toBe(data);
    }
  });

  it("hashes ids that look like a hash or hold a lone surrogate, so decoding is never ambiguous", () => {
    const lookalike = encodeCallbackData("y".repeat(100));
    expect(encodeCallbackData(lookalike)).not.toBe(lookalike);
    expect(decodeCallbackData(encodeCallbackData(lookalike), [lookalike])).toBe(lookalike);
    expect(decodeCallbackData(encodeCallbackData("a\ud800"), ["a\ud800"])).toBe("a\ud800");
  });

  it("round-trips any id within 64 bytes", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ unit: "binary", minLength: 1, maxLength: 200 }), {
          minLength: 1,
          maxLength: 10,
        }),
        (ids) => {
          for (const id of ids) {
            const data = encodeCallbackData(id);
            expect(bytes(data)).toBeGreaterThanOrEqual(1);
            expect(bytes(data)).toBeLessThanOrEqual(64);
            expect(decodeCallbackData(data, ids)).toBe(id);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
