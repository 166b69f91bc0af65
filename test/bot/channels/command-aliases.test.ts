import { readFileSync } from "node:fs";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { COMMAND_ALIASES, commandForWord } from "../../../src/bot/channels/command-aliases.ts";
import { consoleInbound } from "../../../src/bot/channels/console/console-channel.ts";
import { toInbound as telegramInbound } from "../../../src/bot/channels/telegram/to-inbound.ts";
import { toInbound as whatsAppInbound } from "../../../src/bot/channels/whatsapp/to-inbound.ts";
import { webhookPayloadSchema } from "../../../src/bot/channels/whatsapp/webhook-schema.ts";
import type { InboundMessage } from "../../../src/flows/message.ts";

/** What each channel makes of a user typing `text`. */
const CHANNELS: readonly [string, (text: string) => InboundMessage | undefined][] = [
  ["telegram", telegram],
  ["whatsapp", whatsApp],
  ["console", (text) => consoleInbound(text, [])],
];

const WORDS = Object.entries(COMMAND_ALIASES);

describe("command aliases", () => {
  describe.each(CHANNELS)("%s", (_, inbound) => {
    it.each(WORDS)("reads /%s as the %s command", (word, command) => {
      expect(inbound(`/${word}`)).toEqual({ type: "command", command });
      expect(inbound(`/${word.toUpperCase()}`)).toEqual({ type: "command", command });
    });

    it.each(["/unknown", "/constructor", "/toString", "/__proto__"])(
      "does not read %s as a command",
      (text) => {
        expect(inbound(text)?.type).not.toBe("command");
      },
    );

    it.each(WORDS.map(([word]) => word))("leaves the plain word %s to the flows", (word) => {
      expect(inbound(word)).toEqual({ type: "text", text: word });
    });
  });

  it("maps only words to known commands, case-insensitively", () => {
    expect(commandForWord("BAHASA")).toBe("language");
    expect(commandForWord("hasOwnProperty")).toBeUndefined();
  });
});

function telegram(text: string): InboundMessage | undefined {
  const update: Update = JSON.parse(
    readFileSync(new URL("../../fixtures/telegram/text.json", import.meta.url), "utf8"),
  );
  const result = telegramInbound({ ...update, message: { ...update.message!, text } });
  return result.kind === "message" ? result.message : undefined;
}

function whatsApp(body: string): InboundMessage | undefined {
  const payload = webhookPayloadSchema.parse({
    object: "whatsapp_business_account",
    entry: [
      {
        changes: [
          {
            field: "messages",
            value: {
              messages: [
                { from: "620000000001", id: "wamid.X", timestamp: "1", type: "text", text: { body } },
              ],
            },
          },
        ],
      },
    ],
  });
  const [item] = whatsAppInbound(payload);
  return item?.kind === "message" ? item.message : undefined;
}
