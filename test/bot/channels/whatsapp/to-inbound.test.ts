import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseTextCommand,
  resolveNumberedReply,
  toInbound,
  type WhatsAppInboundItem,
} from "../../../../src/bot/channels/whatsapp/to-inbound.ts";
import { webhookPayloadSchema } from "../../../../src/bot/channels/whatsapp/webhook-schema.ts";
import { MAX_INBOUND_TEXT } from "../../../../src/flows/message.ts";
import { fixture, fixtureBytes } from "./fixtures.ts";

const WA = "620000000001";
const base = (n: number) => ({
  waId: WA,
  externalId: `wamid.TEST${String(n).padStart(4, "0")}`,
  timestamp: 1700000000000,
});

function items(name: string): WhatsAppInboundItem[] {
  return toInbound(webhookPayloadSchema.parse(fixture(name)));
}

function textPayload(body: string) {
  return webhookPayloadSchema.parse({
    object: "whatsapp_business_account",
    entry: [
      {
        changes: [
          {
            field: "messages",
            value: { messages: [{ from: WA, id: "wamid.X", timestamp: "1", type: "text", text: { body } }] },
          },
        ],
      },
    ],
  });
}

describe("webhookPayloadSchema", () => {
  it("never keeps the sender's profile name", () => {
    const parsed = webhookPayloadSchema.parse(fixture("text"));
    expect(JSON.stringify(parsed)).not.toContain("Test User");
    expect(fixtureBytes("text").toString()).toContain("Test User");
  });

  it("rejects a malformed payload without throwing", () => {
    expect(webhookPayloadSchema.safeParse(fixture("malformed")).success).toBe(false);
    expect(webhookPayloadSchema.safeParse({ object: "page", entry: [] }).success).toBe(false);
    expect(webhookPayloadSchema.safeParse(null).success).toBe(false);
  });
});

describe("toInbound", () => {
  it("turns a text into a text message with the wamid and a millisecond timestamp", () => {
    expect(items("text")).toEqual([
      {
        kind: "message",
        ...base(1),
        message: { type: "text", text: "Halo, saya mau tanya soal lowongan kerja di luar negeri" },
      },
    ]);
  });

  it("turns a reply button into the chosen id", () => {
    expect(items("button_reply")).toEqual([
      { kind: "message", ...base(2), message: { type: "choice", id: "check.start" } },
    ]);
  });

  it("turns a list reply into the chosen id", () => {
    expect(items("list_reply")).toEqual([
      { kind: "message", ...base(3), message: { type: "choice", id: "country.my" } },
    ]);
  });

  it("hands an image to the engine as photo media to download", () => {
    expect(items("image")).toEqual([
      {
        kind: "media",
        ...base(4),
        mediaId: "300000000000001",
        mediaKind: "photo",
        mime: "image/jpeg",
        caption: "Foto kontrak",
      },
    ]);
  });

  it("hands a document to the engine with its file name", () => {
    expect(items("document")).toEqual([
      {
        kind: "media",
        ...base(5),
        mediaId: "300000000000002",
        mediaKind: "document",
        mime: "application/pdf",
        fileName: "kontrak.pdf",
        caption: "Surat tugas",
      },
    ]);
  });

  it("turns a shared location into a location message", () => {
    expect(items("location")).toEqual([
      { kind: "message", ...base(6), message: { type: "location", latitude: -8.6705, longitude: 115.2126 } },
    ]);
  });

  it.each([
    ["sticker", 7, "sticker"],
    ["audio", 8, "audio"],
    ["video", 9, "video"],
    ["reaction", 10, "reaction"],
    ["unknown", 11, "unsupported"],
  ])("marks a %s as unsupported so the flow can answer politely", (name, n, kind) => {
    expect(items(name)).toEqual([{ kind: "message", ...base(n), message: { type: "unsupported", kind } }]);
  });

  it("reports a delivered status", () => {
    expect(items("status_delivered")).toEqual([
      {
        kind: "status",
        externalId: "wamid.OUT0004",
        status: "delivered",
        recipientWaId: WA,
        timestamp: 1700000100000,
        errorCodes: [],
      },
    ]);
  });

  it("reports a failed status with the closed-window code 131047", () => {
    expect(items("status_failed")).toEqual([
      {
        kind: "status",
        externalId: "wamid.OUT0005",
        status: "failed",
        recipientWaId: WA,
        timestamp: 1700000200000,
        errorCodes: [131047],
      },
    ]);
  });

  it("cuts a text longer than the engine accepts", () => {
    const [item] = toInbound(textPayload("a".repeat(MAX_INBOUND_TEXT + 500)));
    expect(item?.kind === "message" && item.message).toEqual({
      type: "text",
      text: "a".repeat(MAX_INBOUND_TEXT),
    });
  });

  it("does not cut an emoji in half", () => {
    const [item] = toInbound(textPayload(`${"a".repeat(MAX_INBOUND_TEXT - 1)}😀😀`));
    expect(item?.kind === "message" && item.message).toEqual({
      type: "text",
      text: "a".repeat(MAX_INBOUND_TEXT - 1),
    });
  });

  it("maps slash commands to commands and leaves plain words to the flows", () => {
    const message = (body: string) => {
      const [item] = toInbound(textPayload(body));
      return item?.kind === "message" ? item.message : undefined;
    };
    expect(message("/start")).toEqual({ type: "command", command: "start" });
    expect(message(" /HAPUS ")).toEqual({ type: "command", command: "delete" });
    expect(message("hapus")).toEqual({ type: "text", text: "hapus" });
    expect(message("menu")).toEqual({ type: "text", text: "menu" });
  });

  it("ignores statuses it does not act on", () => {
    const payload = webhookPayloadSchema.parse({
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            { field: "messages", value: { statuses: [{ id: "w", status: "deleted", recipient_id: WA }] } },
          ],
        },
      ],
    });
    expect(toInbound(payload)).toEqual([]);
  });

  it("treats an over-long choice id as unsupported", () => {
    const payload = webhookPayloadSchema.parse({
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: {
                messages: [
                  {
                    from: WA,
                    id: "wamid.Y",
                    timestamp: "1",
                    type: "interactive",
                    interactive: { type: "button_reply", button_reply: { id: "x".repeat(201), title: "x" } },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(toInbound(payload)[0]).toMatchObject({ message: { type: "unsupported", kind: "interactive" } });
  });
});

describe("parseTextCommand", () => {
  it.each([
    ["/start", "start"],
    ["/menu", "menu"],
    ["/bahasa", "language"],
    ["/language", "language"],
    ["/hapus", "delete"],
    ["/delete", "delete"],
    ["/status", "status"],
    ["/help", "help"],
    ["/batal", "cancel"],
    ["/cancel", "cancel"],
    ["/start ref123", "start"],
  ])("reads %s as %s", (text, command) => {
    expect(parseTextCommand(text)).toBe(command);
  });

  it.each(["start", "menu", "/unknown", "a /start", ""])("ignores %j", (text) => {
    expect(parseTextCommand(text)).toBeUndefined();
  });
});

describe("resolveNumberedReply", () => {
  const ids = Array.from({ length: 11 }, (_, i) => `opt.${i + 1}`);

  it.each(["7", "7.", " 7 ", "7)", "07"])("reads %j as the 7th option", (text) => {
    expect(resolveNumberedReply(text, ids)).toEqual({ type: "choice", id: "opt.7" });
  });

  it.each(["0", "12", "7 dan 8", "tujuh", "-1", "1.5"])("keeps %j as text", (text) => {
    expect(resolveNumberedReply(text, ids)).toEqual({ type: "text", text });
  });

  it("keeps a number as text when no menu was offered", () => {
    expect(resolveNumberedReply("1", [])).toEqual({ type: "text", text: "1" });
  });
});

describe("webhookPayloadSchema and toInbound", () => {
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
  ])("turn the %s fixture into exactly one item", (name) => {
    expect(items(name)).toHaveLength(1);
  });

  it("never throw on any JSON, however malformed", () => {
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
        const parsed = webhookPayloadSchema.safeParse(JSON.parse(JSON.stringify(value) ?? "null"));
        if (parsed.success) expect(Array.isArray(toInbound(parsed.data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
