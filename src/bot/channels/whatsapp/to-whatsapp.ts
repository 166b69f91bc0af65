import type { Choice, OutboundMessage } from "../../../flows/message.ts";
import { splitText, splitWithTail } from "../split-text.ts";
import {
  WA_LIMITS,
  type WhatsAppButtonsSend,
  type WhatsAppListSend,
  type WhatsAppSend,
  type WhatsAppTemplateSend,
  type WhatsAppTextSend,
} from "./send-schema.ts";
import { shortenLabel } from "./shorten-label.ts";
import { wellFormed } from "./well-formed.ts";

/** Words the renderer adds itself; the adapter passes the conversation's language. */
export interface ToWhatsAppOptions {
  /** Label of the button that opens a list (≤20). */
  listButton?: string;
  /** Line under a numbered menu telling the user to answer with a number. */
  numberPrompt?: string;
}

/** What one outbound message becomes on WhatsApp. */
export interface WhatsAppRendering {
  /** Bodies to post in order, each without `to`. */
  sends: WhatsAppSend[];
  /**
   * Set when the choices were rendered as a numbered text menu: the option ids in display order. The adapter
   * stores them with the conversation and passes them to `resolveNumberedReply` for the next text.
   */
  numberedIds?: string[];
}

const DEFAULTS: Required<ToWhatsAppOptions> = {
  listButton: "Pilih / Choose",
  numberPrompt: "Balas dengan angka / Reply with a number",
};

/**
 * Renders a channel-neutral message for WhatsApp within every limit: 1–3 choices as reply buttons, 4–10 as a
 * list, more as a numbered text menu. Long bodies are split; text that does not fit an interactive body is
 * sent first as plain text. Pure: no I/O, no configuration read.
 */
export function toWhatsApp(msg: OutboundMessage, options: ToWhatsAppOptions = {}): WhatsAppRendering {
  // A file is uploaded and sent by the sender (it reads the evidence); there is no pure rendering of it.
  if (msg.type === "end" || msg.type === "file" || msg.type === "unsend") return { sends: [] };
  const opts = {
    listButton: options.listButton ?? DEFAULTS.listButton,
    numberPrompt: options.numberPrompt ?? DEFAULTS.numberPrompt,
  };
  const body = wellFormed(msg.text).trimEnd() || "…";
  const choices = (msg.choices ?? []).map((c) => ({
    ...c,
    label: wellFormed(c.label),
    ...(c.description ? { description: wellFormed(c.description) } : {}),
  }));

  if (choices.length === 0) {
    if (msg.type === "request" && msg.kind === "location") {
      const { head, tail } = splitWithTail(body, WA_LIMITS.text, WA_LIMITS.locationBody);
      return { sends: [...head.map(textSend), locationRequest(tail)] };
    }
    return { sends: splitText(body, WA_LIMITS.text).map(textSend) };
  }
  if (choices.length <= WA_LIMITS.buttons) {
    const { head, tail } = splitWithTail(body, WA_LIMITS.text, WA_LIMITS.buttonBody);
    return { sends: [...head.map(textSend), buttons(tail, choices)] };
  }
  if (choices.length <= WA_LIMITS.listRows) {
    const { head, tail } = splitWithTail(body, WA_LIMITS.text, WA_LIMITS.listBody);
    return { sends: [...head.map(textSend), list(tail, choices, opts.listButton)] };
  }
  const menu = choices.map((c, i) => `${i + 1}. ${c.label.replace(/\s+/g, " ").trim()}`).join("\n");
  const full = `${body}\n\n${menu}\n\n${opts.numberPrompt}`;
  return { sends: splitText(full, WA_LIMITS.text).map(textSend), numberedIds: choices.map((c) => c.id) };
}

/** Body that marks an inbound message as read (blue ticks); post it to the same messages endpoint. */
export function readReceipt(wamid: string): {
  messaging_product: "whatsapp";
  status: "read";
  message_id: string;
} {
  return { messaging_product: "whatsapp", status: "read", message_id: wamid };
}

/**
 * Body of an approved template send, for follow-ups outside the 24-hour window. Parameters are made
 * acceptable to Meta: newlines and tabs become spaces, space runs are collapsed, each is cut to 1024.
 */
export function followupTemplate(
  name: string,
  lang: string,
  params: readonly string[] = [],
): WhatsAppTemplateSend {
  const parameters = params.map((p) => ({
    type: "text" as const,
    text: shortenLabel(wellFormed(p).replace(/\s+/g, " ").trim() || "-", WA_LIMITS.templateParam),
  }));
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    type: "template",
    template: {
      name,
      language: { code: lang },
      ...(parameters.length ? { components: [{ type: "body" as const, parameters }] } : {}),
    },
  };
}

function textSend(body: string): WhatsAppTextSend {
  return { messaging_product: "whatsapp", recipient_type: "individual", type: "text", text: { body } };
}

function locationRequest(body: string): WhatsAppSend {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    type: "interactive",
    interactive: {
      type: "location_request_message",
      body: { text: body },
      action: { name: "send_location" },
    },
  };
}

function buttons(body: string, choices: Choice[]): WhatsAppButtonsSend {
  const titles = buttonTitles(choices.map((c) => c.label));
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    type: "interactive",
    interactive: {
      type: "button",
      body: { text: body },
      action: {
        buttons: choices.map((c, i) => ({
          type: "reply",
          reply: { id: c.id, title: titles[i] || String(i + 1) },
        })),
      },
    },
  };
}

/**
 * Button titles within 20 units and distinct. Titles that collide after shortening (or were equal) get
 * their position as a suffix, e.g. "Laporkan agen… (2)"; if that still collides, every title does.
 */
export function buttonTitles(labels: readonly string[]): string[] {
  const max = WA_LIMITS.buttonTitle;
  const short = labels.map((l) => shortenLabel(l, max));
  const numbered = (l: string, i: number) => {
    const suffix = ` (${i + 1})`;
    return `${shortenLabel(l, max - suffix.length)}${suffix}`;
  };
  const collides = (t: string, i: number, all: string[]) => all.some((o, j) => j !== i && o === t);
  const first = short.map((t, i) => (t && !collides(t, i, short) ? t : numbered(labels[i] ?? "", i)));
  if (first.every((t, i) => !collides(t, i, first))) return first;
  return labels.map(numbered);
}

function list(body: string, choices: Choice[], button: string): WhatsAppListSend {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    type: "interactive",
    interactive: {
      type: "list",
      body: { text: body },
      action: {
        button:
          shortenLabel(button, WA_LIMITS.listButton) ||
          shortenLabel(DEFAULTS.listButton, WA_LIMITS.listButton),
        sections: [{ rows: choices.map(listRow) }],
      },
    },
  };
}

/** A list row; when the label had to be shortened, the full label moves into the description. */
function listRow(c: Choice): { id: string; title: string; description?: string } {
  const label = c.label.replace(/\s+/g, " ").trim();
  const title = shortenLabel(label, WA_LIMITS.rowTitle);
  const full = title === label ? c.description : c.description ? `${label} — ${c.description}` : label;
  const description = full?.trim() ? shortenLabel(full, WA_LIMITS.rowDescription) : undefined;
  return { id: c.id, title: title || "-", ...(description ? { description } : {}) };
}
