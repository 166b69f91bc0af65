import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hashPin,
  pseudonym,
  Sealer,
  SealTamperedError,
  sealedAt,
  verifyPin,
} from "../../src/storage/crypto.ts";
import { legacyEnvelope } from "../helpers/legacy-envelope.ts";

describe("crypto", () => {
  it("derives stable pseudonyms that differ per channel and key", () => {
    const key = randomBytes(32);
    const a = pseudonym(key, "telegram", 100000001);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonym(key, "telegram", "100000001")).toBe(a);
    expect(pseudonym(key, "whatsapp", 100000001)).not.toBe(a);
    expect(pseudonym(randomBytes(32), "telegram", 100000001)).not.toBe(a);
  });

  it("seals and opens any bytes, and the envelope hides the plaintext", () => {
    const sealer = new Sealer([randomBytes(32)]);
    fc.assert(
      fc.property(fc.string(), (text) => {
        const sealed = sealer.seal(text);
        expect(sealer.open(sealed).toString("utf8")).toBe(text);
        if (text.length > 8) expect(sealed.toString("latin1")).not.toContain(text);
      }),
    );
  });

  it("gives every sealed value its own IV, also across refills of the IV pool", () => {
    const sealer = new Sealer([randomBytes(32)]);
    // version(1) | keyId(4) | iv(12): 2,000 seals use the pool about four times over.
    const ivs = Array.from({ length: 2_000 }, () => sealer.seal("same text").subarray(5, 17).toString("hex"));
    expect(new Set(ivs).size).toBe(ivs.length);
    const sealed = sealer.seal("still opens");
    expect(sealer.open(sealed).toString("utf8")).toBe("still opens");
  });

  it("opens data sealed with an older key after rotation", () => {
    const oldKey = randomBytes(32);
    const sealed = new Sealer([oldKey]).sealJson({ a: 1 });
    const rotated = new Sealer([randomBytes(32), oldKey]);
    expect(rotated.openJson(sealed)).toEqual({ a: 1 });
  });

  it("refuses tampered envelopes and unknown keys", () => {
    const sealer = new Sealer([randomBytes(32)]);
    const sealed = sealer.seal("laporan rahasia");
    sealed[sealed.length - 1] = (sealed.at(-1) ?? 0) ^ 1;
    expect(() => sealer.open(sealed)).toThrow();
    expect(() => new Sealer([randomBytes(32)]).open(sealer.seal("x"))).toThrow(/unknown key/);
    expect(() => sealer.open(new Uint8Array([1, 2, 3]))).toThrow(/not a sealed envelope/);
  });

  it("binds each value to its place: a value moved elsewhere is refused and reported without its plaintext", () => {
    const told: string[] = [];
    const sealer = new Sealer([randomBytes(32)], { onTamper: (place) => told.push(place) });
    const sealed = sealer.sealJson({ address: 100000001 }, sealedAt.conversationAddress("k-a"));
    expect(sealer.openJson(sealed, sealedAt.conversationAddress("k-a"))).toEqual({ address: 100000001 });
    expect(() => sealer.open(sealed, sealedAt.conversationAddress("k-b"))).toThrow(SealTamperedError);
    expect(() => sealer.open(sealed, sealedAt.caseMessageBody("k-a"))).toThrow(SealTamperedError);
    expect(() => sealer.open(sealed)).toThrow(SealTamperedError);
    expect(sealer.tryOpen(sealed, sealedAt.reportContent("r1"))).toBeUndefined();
    expect(told).toEqual([
      "conversation.address_sealed:k-b",
      "case_message.body_sealed:k-a",
      "",
      "report.content_sealed:r1",
    ]);
    expect(sealed[0]).toBe(2);
  });

  it("opens envelopes from before bound places only when told to (keys rotate)", () => {
    const key = randomBytes(32);
    const legacy = legacyEnvelope(key, "laporan lama");
    const told: string[] = [];
    expect(() =>
      new Sealer([key], { onTamper: (p) => told.push(p) }).open(legacy, "report.content_sealed:r1"),
    ).toThrow(SealTamperedError);
    expect(told).toEqual(["report.content_sealed:r1"]);
    const rotating = new Sealer([key], { acceptLegacy: true });
    expect(Sealer.isLegacy(legacy)).toBe(true);
    expect(rotating.open(legacy, "report.content_sealed:r1").toString("utf8")).toBe("laporan lama");
  });

  it("hashes PINs slowly with a salt and verifies only the right PIN", async () => {
    const hash = await hashPin("482913");
    expect(hash).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(hash).not.toContain("482913");
    expect(await hashPin("482913")).not.toBe(hash);
    expect(await verifyPin("482913", hash)).toBe(true);
    expect(await verifyPin("482914", hash)).toBe(false);
    expect(await verifyPin("482913", "garbage")).toBe(false);
  });
});
