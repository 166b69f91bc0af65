import type { InboundMessage, OutboundMessage } from "../../../flows/message.ts";
import type { Channel } from "../../channel.ts";
import type { InboundChannel } from "../../inbound.ts";
import { commandForWord } from "../command-aliases.ts";

/**
 * The terminal channel, the smallest one: typed lines go to `Inbound.receive(CONSOLE, sender, { message })`
 * (see `src/chat.ts`), replies come back through the outbox to `print`.
 */
export const CONSOLE: InboundChannel = { name: "console" };

/** The terminal chat channel: prints messages and numbers every choice. */
export function createConsoleChannel(print: (message: OutboundMessage) => void): Channel {
  return {
    name: CONSOLE.name,
    profile: { numbersChoices: () => true },
    sender: {
      async send(_address, message) {
        print(message);
        return undefined;
      },
    },
  };
}

/** A typed line as an inbound message: slash commands, a choice by its label, or text. */
export function consoleInbound(
  line: string,
  labels: readonly { id: string; label: string }[],
): InboundMessage {
  const text = line.trim();
  const slash = /^\/([a-z]+)$/i.exec(text);
  const command = slash?.[1] ? commandForWord(slash[1]) : undefined;
  if (command) return { type: "command", command };
  const byLabel = labels.find((c) => c.label.toLowerCase() === text.toLowerCase());
  if (byLabel) return { type: "choice", id: byLabel.id };
  return { type: "text", text: text.slice(0, 4000) };
}

/** Renders a message for the terminal, choices numbered from 1. */
export function renderConsole(message: OutboundMessage): string {
  if (message.type === "end") return "— (percakapan selesai / conversation ended) —";
  if (message.type === "file") return message.caption ? `[file] ${message.caption}` : "[file]";
  if (message.type === "unsend") return "";
  const lines = [message.text];
  message.choices?.forEach((c, i) => {
    lines.push(`  ${i + 1}) ${c.label}${c.description ? ` — ${c.description}` : ""}`);
  });
  return lines.join("\n");
}
