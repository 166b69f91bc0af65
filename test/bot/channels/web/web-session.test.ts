import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RateLimit } from "../../../../src/bot/channels/web/rate-limit.ts";
import { isSessionToken, newSessionToken } from "../../../../src/bot/channels/web/web-session.ts";

describe("web sessions", () => {
  const key = randomBytes(32);

  it("recognises its own tokens and no other", () => {
    const token = newSessionToken(key);
    expect(isSessionToken(key, token)).toBe(true);
    expect(newSessionToken(key)).not.toBe(token);
    expect(isSessionToken(randomBytes(32), token)).toBe(false);
    const [id, tag] = token.split(".");
    expect(isSessionToken(key, `${id}.${tag!.slice(0, -1)}A`)).toBe(tag!.endsWith("A"));
    expect(isSessionToken(key, `${id}x.${tag}`)).toBe(false);
    expect(isSessionToken(key, `${token}.x`)).toBe(false);
    for (const bad of [undefined, 42, "", ".", "a".repeat(200)]) expect(isSessionToken(key, bad)).toBe(false);
  });
});

describe("rate limit", () => {
  it("allows `max` requests per window and client, then refuses until the window ends", () => {
    const limit = new RateLimit(2, 1000);
    expect([limit.take("a", 0), limit.take("a", 10), limit.take("a", 20)]).toEqual([true, true, false]);
    expect(limit.take("b", 20)).toBe(true);
    expect(limit.take("a", 1000)).toBe(true);
  });
});
