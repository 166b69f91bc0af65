import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import {
  ERASE_CALLBACK_DATA,
  encodeCallbackData,
  resolveChoiceId,
} from "../../../../src/bot/channels/telegram/callback-data.ts";
import { toInbound } from "../../../../src/bot/channels/telegram/to-inbound.ts";
import { inboundMessageSchema, MAX_INBOUND_TEXT } from "../../../../src/flows/message.ts";

function fixture(name: string): Update {
  return JSON.parse(
    readFileSync(new URL(`../../../fixtures/telegram/${name}.json`, import.meta.url), "utf8"),
  );
}

function privateText(text: string): Update {
  const update = fixture("text");
  return { ...update, message: { ...update.message!, text } };
}

const opts = { botUsername: "SuaraAmanTestBot" };

describe("toInbound", () => {
  it("trims a text message and keys it by update id", () => {
    expect(toInbound(fixture("text"))).toEqual({
      kind: "message",
      updateId: 500000001,
      chatId: 100000001,
      externalId: "u:500000001",
      message: { type: "text", text: "Saya ditawari kerja di Malaysia, gaji 8 juta. Aman?" },
    });
  });

  it("reads a command with an @bot suffix as the channel-neutral command", () => {
    expect(toInbound(fixture("command"), opts)).toMatchObject({
      kind: "message",
      message: { type: "command", command: "language" },
    });
  });

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
    ["/HAPUS@suaraamantestbot", "delete"],
  ])("maps %s to the %s command", (text, command) => {
    expect(toInbound(privateText(text), opts)).toMatchObject({ message: { type: "command", command } });
  });

  it("takes /start with a deep-link payload as plain /start", () => {
    expect(toInbound(fixture("command-start-payload"))).toMatchObject({
      message: { type: "command", command: "start" },
    });
  });

  it("answers unknown commands and commands for another bot as unsupported, not as free text", () => {
    expect(toInbound(fixture("command-unknown"))).toMatchObject({
      message: { type: "unsupported", kind: "unknown_command" },
    });
    expect(toInbound(privateText("/hapus@OtherBot"), opts)).toMatchObject({
      message: { type: "unsupported", kind: "unknown_command" },
    });
  });

  it("keeps texts that merely start with a slash as text", () => {
    expect(toInbound(privateText("/home/user/kontrak.pdf"))).toMatchObject({ message: { type: "text" } });
  });

  it("turns a button press into a choice with the callback to answer", () => {
    expect(toInbound(fixture("callback-query"))).toEqual({
      kind: "message",
      updateId: 500000005,
      chatId: 100000001,
      externalId: "u:500000005",
      message: { type: "choice", id: "lang:en" },
      callback: { id: "4382000000000000001", messageId: 42 },
    });
  });

  it("leaves a hashed callback id for the engine to resolve against the offered ids", () => {
    const longId = `report.step.${"x".repeat(80)}`;
    const update = fixture("callback-query");
    const pressed = {
      ...update,
      callback_query: { ...update.callback_query!, data: encodeCallbackData(longId) },
    };
    const result = toInbound(pressed);
    if (result.kind !== "message" || result.message.type !== "choice") throw new Error("expected a choice");
    expect(resolveChoiceId(result.message.id, ["other", longId])).toBe(longId);
    expect(resolveChoiceId(result.message.id, ["other"])).toBe(result.message.id);
  });

  it("turns a press of the delete button under a code + PIN message into an erase of that message", () => {
    const update = fixture("callback-query");
    const pressed = { ...update, callback_query: { ...update.callback_query!, data: ERASE_CALLBACK_DATA } };
    expect(toInbound(pressed)).toEqual({
      kind: "erase",
      updateId: 500000005,
      chatId: 100000001,
      messageId: 42,
      callbackId: "4382000000000000001",
    });
    const group = fixture("group-callback");
    const inGroup = { ...group, callback_query: { ...group.callback_query!, data: ERASE_CALLBACK_DATA } };
    expect(toInbound(inGroup).kind).toBe("group");
  });

  it("ignores a callback without data but still hands over its id to answer", () => {
    const update = fixture("callback-query");
    const { data: _, ...query } = update.callback_query!;
    expect(toInbound({ ...update, callback_query: query })).toEqual({
      kind: "ignore",
      updateId: 500000005,
      reason: "no_callback_data",
      callback: { id: "4382000000000000001", messageId: 42 },
    });
  });

  it("picks the largest photo size for download", () => {
    expect(toInbound(fixture("photo"))).toEqual({
      kind: "media",
      updateId: 500000006,
      chatId: 100000001,
      externalId: "u:500000006",
      media: {
        fileId: "AgACAgUAAxkBAAIBFakePhotoLarge",
        fileUniqueId: "AQADFakeLarge",
        kind: "photo",
        mime: "image/jpeg",
        size: 98213,
        caption: "Foto kontrak dari agen",
      },
    });
  });

  it("describes a document for download", () => {
    const result = toInbound(fixture("document"));
    expect(result).toMatchObject({
      kind: "media",
      media: {
        fileId: "BQACAgUAAxkBAAIBFakeDocument",
        kind: "document",
        mime: "application/pdf",
        size: 245760,
        fileName: "kontrak-kerja.pdf",
      },
    });
  });

  it("refuses documents over the 20 MB Bot API download limit", () => {
    expect(toInbound(fixture("document-too-large"))).toMatchObject({
      kind: "message",
      message: { type: "unsupported", kind: "too_large" },
    });
  });

  it("reads a location and a venue's location", () => {
    expect(toInbound(fixture("location"))).toMatchObject({
      message: { type: "location", latitude: -8.6705, longitude: 115.2126 },
    });
    expect(toInbound(fixture("venue"))).toMatchObject({
      message: { type: "location", latitude: -8.65, longitude: 115.216 },
    });
  });

  it.each([
    ["sticker", "sticker"],
    ["voice", "voice"],
    ["poll", "poll"],
    ["contact", "contact"],
    ["animation", "animation"],
  ])("reports a %s as unsupported", (name, kind) => {
    const result = toInbound(fixture(name));
    expect(result).toMatchObject({ kind: "message", message: { type: "unsupported", kind } });
  });

  it("never carries names, usernames or phone numbers", () => {
    for (const name of ["text", "contact", "callback-query", "photo", "group-message", "group-callback"]) {
      const json = JSON.stringify(toInbound(fixture(name)));
      for (const secret of [
        "Test User",
        "test_user_fake",
        "Fake Recruiter",
        "+620000000000",
        "Test Officer",
      ]) {
        expect(json).not.toContain(secret);
      }
    }
  });

  it.each([
    ["edited-message", "edited"],
    ["channel-post", "channel_post"],
    ["my-chat-member", "my_chat_member"],
    ["auto-delete-timer", "service"],
  ])("ignores %s", (name, reason) => {
    expect(toInbound(fixture(name))).toMatchObject({ kind: "ignore", reason });
  });

  it("hands group messages to the officer module with the sender id and parsed command", () => {
    expect(toInbound(fixture("group-message"), opts)).toEqual({
      kind: "group",
      updateId: 500000017,
      chatId: -1001000000001,
      externalId: "u:500000017",
      fromId: 100000002,
      text: "/klaim@SuaraAmanTestBot TPPO-7K3M-9QX2",
      command: { name: "klaim", args: "TPPO-7K3M-9QX2" },
    });
  });

  it("passes on which message an officer replied to", () => {
    const update = fixture("group-message");
    const reply = {
      ...update.message!,
      text: "Sudah ditangani",
      reply_to_message: { ...update.message!, message_id: 70 },
    };
    expect(toInbound({ ...update, message: reply } as Update)).toMatchObject({
      kind: "group",
      replyToMessageId: 70,
    });
  });

  it("ignores an update without a usable update_id", () => {
    const { update_id: _, ...rest } = fixture("text");
    expect(toInbound(rest as Update)).toMatchObject({ kind: "ignore", reason: "malformed" });
  });

  it("hands group button presses to the officer module with the raw data", () => {
    expect(toInbound(fixture("group-callback"))).toEqual({
      kind: "group",
      updateId: 500000018,
      chatId: -1001000000001,
      externalId: "u:500000018",
      fromId: 100000002,
      callback: { id: "4382000000000000002", messageId: 78, data: "ack:TPPO-7K3M-9QX2" },
    });
  });

  it("cuts a huge text to the inbound limit", () => {
    const result = toInbound(fixture("huge-text"));
    if (result.kind !== "message" || result.message.type !== "text") throw new Error("expected text");
    expect(result.message.text.length).toBeLessThanOrEqual(MAX_INBOUND_TEXT);
    expect(result.message.text.length).toBeGreaterThan(MAX_INBOUND_TEXT - 10);
  });

  it("never splits a surrogate pair when cutting", () => {
    const text = `${"a".repeat(MAX_INBOUND_TEXT - 1)}😀tail`;
    const result = toInbound(privateText(text));
    if (result.kind !== "message" || result.message.type !== "text") throw new Error("expected text");
    expect(result.message.text).toBe("a".repeat(MAX_INBOUND_TEXT - 1));
  });

  it("never throws and always yields a valid message, whatever the update", () => {
    const base = fixture("text");
    const messageLike = fc.record(
      {
        chat: fc.oneof(
          fc.anything(),
          fc.record({ id: fc.integer(), type: fc.constantFrom("private", "group", "x") }),
        ),
        text: fc.oneof(fc.string(), fc.anything()),
        photo: fc.anything(),
        document: fc.anything(),
        location: fc.anything(),
        sticker: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          messageLike.map((m) => ({ ...base.message, ...(m as object) })),
        ),
        (m) => {
          const result = toInbound({ update_id: 1, message: m } as unknown as Update);
          if (result.kind === "message")
            expect(inboundMessageSchema.safeParse(result.message).success).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(fc.anything(), (u) => {
        toInbound(u as Update);
      }),
    );
  });
});
