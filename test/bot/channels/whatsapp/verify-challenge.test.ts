import { describe, expect, it } from "vitest";
import { verifyChallenge } from "../../../../src/bot/channels/whatsapp/verify-challenge.ts";

const token = "test-verify-token";
const query = (q: Record<string, string>) => new URLSearchParams(q);

describe("verifyChallenge", () => {
  it("echoes the challenge for the right token", () => {
    const result = verifyChallenge(
      query({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444" }),
      token,
    );
    expect(result).toEqual({ status: 200, body: "1158201444" });
  });

  it("accepts a plain record of query values", () => {
    const result = verifyChallenge(
      { "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "42" },
      token,
    );
    expect(result).toEqual({ status: 200, body: "42" });
  });

  it.each([
    ["a wrong token", { "hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1" }],
    ["a token prefix", { "hub.mode": "subscribe", "hub.verify_token": "test-verify", "hub.challenge": "1" }],
    ["another mode", { "hub.mode": "unsubscribe", "hub.verify_token": token, "hub.challenge": "1" }],
    ["no token", { "hub.mode": "subscribe", "hub.challenge": "1" }],
    ["no challenge", { "hub.mode": "subscribe", "hub.verify_token": token }],
    [
      "a challenge with markup",
      { "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "<b>x</b>" },
    ],
  ])("answers 403 for %s", (_, q) => {
    expect(verifyChallenge(query(q), token)).toEqual({ status: 403 });
  });

  it("answers 403 when no verify token is configured", () => {
    expect(
      verifyChallenge(query({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1" }), ""),
    ).toEqual({ status: 403 });
  });
});
