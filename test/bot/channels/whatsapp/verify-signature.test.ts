import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../../../../src/bot/channels/whatsapp/verify-signature.ts";
import { fixtureBytes } from "./fixtures.ts";

const secret = "test-app-secret";
const sign = (body: Uint8Array, key = secret) =>
  `sha256=${createHmac("sha256", key).update(body).digest("hex")}`;

describe("verifySignature", () => {
  const body = fixtureBytes("text");

  it("accepts the HMAC-SHA256 of the raw bytes", () => {
    expect(verifySignature(body, sign(body), secret)).toBe(true);
    expect(
      verifySignature(new Uint8Array(body), sign(body).toUpperCase().replace("SHA256=", "sha256="), secret),
    ).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifySignature(body, sign(body, "other-secret"), secret)).toBe(false);
  });

  it("rejects a missing header and an empty secret", () => {
    expect(verifySignature(body, undefined, secret)).toBe(false);
    expect(verifySignature(body, "", secret)).toBe(false);
    expect(verifySignature(body, sign(body, ""), "")).toBe(false);
  });

  it.each([
    "sha256=",
    "sha256=zz",
    "sha1=0123456789abcdef0123456789abcdef01234567",
    `sha256=${"g".repeat(64)}`,
    `sha256=${"a".repeat(63)}`,
    `sha256=${"a".repeat(66)}`,
    "0".repeat(64),
    "sha256 = abc",
  ])("rejects the malformed header %j without throwing", (header) => {
    expect(verifySignature(body, header, secret)).toBe(false);
  });

  it("fails for re-serialised JSON with the same content", () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifySignature(reserialised, sign(body), secret)).toBe(false);
  });

  it("fails when one byte of the body changes", () => {
    const tampered = Buffer.from(body);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect(verifySignature(tampered, sign(body), secret)).toBe(false);
  });
});
