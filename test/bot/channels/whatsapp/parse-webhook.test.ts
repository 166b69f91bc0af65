import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseWebhook } from "../../../../src/bot/channels/whatsapp/parse-webhook.ts";
import { fixtureBytes } from "./fixtures.ts";

const secret = "test-app-secret";
const sign = (body: Uint8Array) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("parseWebhook", () => {
  it.each([
    "text",
    "button_reply",
    "list_reply",
    "image",
    "document",
    "location",
    "sticker",
    "audio",
    "video",
    "reaction",
    "unknown",
    "status_delivered",
    "status_failed",
  ])("turns the signed %s fixture into exactly one item", (name) => {
    const body = fixtureBytes(name);
    const result = parseWebhook(body, sign(body), secret);
    expect(result.status).toBe(200);
    expect(result.status === 200 && result.items).toHaveLength(1);
  });

  it("answers 401 before parsing anything when the signature is wrong or missing", () => {
    const body = Buffer.from("not even json");
    expect(parseWebhook(body, undefined, secret)).toEqual({ status: 401 });
    expect(parseWebhook(body, sign(Buffer.from("other")), secret)).toEqual({ status: 401 });
  });

  it("answers 400 for a signed body that is not JSON", () => {
    const body = Buffer.from("{oops");
    expect(parseWebhook(body, sign(body), secret)).toEqual({ status: 400, reason: "json" });
  });

  it("answers 400 for a signed body that is not a WhatsApp payload", () => {
    const body = fixtureBytes("malformed");
    expect(parseWebhook(body, sign(body), secret)).toEqual({ status: 400, reason: "schema" });
  });

  it("reads a Uint8Array view into a larger buffer correctly", () => {
    const body = fixtureBytes("text");
    const padded = new Uint8Array(body.length + 8);
    padded.set(body, 4);
    const view = padded.subarray(4, 4 + body.length);
    expect(parseWebhook(view, sign(body), secret).status).toBe(200);
  });

  it("never throws on any signed JSON, however malformed", () => {
    const messageLike = fc.record(
      {
        from: fc.oneof(fc.string(), fc.integer()),
        id: fc.string(),
        timestamp: fc.oneof(fc.string(), fc.constant("1700000000")),
        type: fc.oneof(
          fc.constantFrom("text", "interactive", "image", "document", "location", "button"),
          fc.string(),
        ),
        text: fc.anything(),
        interactive: fc.anything(),
        image: fc.anything(),
        location: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({
        object: fc.constantFrom("whatsapp_business_account", "page"),
        entry: fc.array(
          fc.record({
            changes: fc.array(
              fc.record({ field: fc.string(), value: fc.record({ messages: fc.array(messageLike) }) }),
            ),
          }),
        ),
      }),
    );
    fc.assert(
      fc.property(payload, (value) => {
        const body = Buffer.from(JSON.stringify(value) ?? "null");
        const result = parseWebhook(body, sign(body), secret);
        expect([200, 400]).toContain(result.status);
      }),
      { numRuns: 300 },
    );
  });
});
