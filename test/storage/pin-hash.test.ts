import { randomBytes, scryptSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  DUMMY_PIN_HASH,
  hashPin,
  needsRehash,
  OWASP_SCRYPT,
  pinPepperKey,
  setPinHashCost,
  usePinPepper,
  verifyPin,
} from "../../src/storage/pin-hash.ts";

const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };

/** A hash as the service made them before peppers: `scrypt$16384$8$1$salt$hash` over the bare PIN. */
function legacyHash(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$16384$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
}

describe("PIN hashing", () => {
  afterEach(() => setPinHashCost(TEST_COST));

  it("hashes new PINs with OWASP's scrypt parameters and a pepper, verifying only the right PIN", async () => {
    setPinHashCost(OWASP_SCRYPT);
    usePinPepper(pinPepperKey(randomBytes(32)));
    const hash = await hashPin("482913");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[^$]+\$[^$]+\$[0-9a-f]{8}$/);
    expect(hash).not.toContain("482913");
    expect(await verifyPin("482913", hash)).toBe(true);
    expect(await verifyPin("482914", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it("needs the pepper: the same salt and cost without it do not give the stored hash", async () => {
    usePinPepper(pinPepperKey(randomBytes(32)));
    const hash = await hashPin("111222");
    const [, n, r, p, salt, stored] = hash.split("$");
    const bare = scryptSync("111222", Buffer.from(salt!, "base64"), 32, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 256 * 1024 * 1024,
    });
    expect(bare.toString("base64")).not.toBe(stored);
    // A hash whose pepper this process does not know cannot be verified.
    const foreign = hash.replace(/\$[0-9a-f]{8}$/, "$00000000");
    expect(await verifyPin("111222", foreign)).toBe(false);
  });

  it("still verifies hashes made before the pepper and the higher cost, and flags them for re-hashing", async () => {
    usePinPepper(pinPepperKey(randomBytes(32)));
    const old = legacyHash("735001");
    expect(await verifyPin("735001", old)).toBe(true);
    expect(await verifyPin("735002", old)).toBe(false);
    setPinHashCost(OWASP_SCRYPT);
    expect(needsRehash(old)).toBe(true);
  });

  it("keeps verifying hashes made under an earlier pepper of the same process", async () => {
    usePinPepper(pinPepperKey(randomBytes(32)));
    const first = await hashPin("090909");
    usePinPepper(pinPepperKey(randomBytes(32)));
    expect(await verifyPin("090909", first)).toBe(true);
    expect(needsRehash(first)).toBe(true);
  });

  it("derives the pepper from the pseudonym key, stably and distinct from it", () => {
    const key = randomBytes(32);
    expect(pinPepperKey(key).equals(pinPepperKey(Buffer.from(key)))).toBe(true);
    expect(pinPepperKey(key).equals(key)).toBe(false);
    expect(pinPepperKey(key)).toHaveLength(32);
  });

  it("refuses the dummy hash, garbage and absurd parameters", async () => {
    expect(await verifyPin("000000", DUMMY_PIN_HASH)).toBe(false);
    expect(await verifyPin("482913", "garbage")).toBe(false);
    const absurd = `scrypt$${2 ** 30}$8$1$${"A".repeat(22)}==$${"A".repeat(43)}=`;
    expect(await verifyPin("482913", absurd)).toBe(false);
  });
});
