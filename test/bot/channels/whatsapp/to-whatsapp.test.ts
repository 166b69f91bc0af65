import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWhatsAppLimits, type WhatsAppSend } from "../../../../src/bot/channels/whatsapp/send-schema.ts";
import { resolveNumberedReply } from "../../../../src/bot/channels/whatsapp/to-inbound.ts";
import {
  buttonTitles,
  followupTemplate,
  readReceipt,
  toWhatsApp,
} from "../../../../src/bot/channels/whatsapp/to-whatsapp.ts";
import { type Choice, choicesOf, type OutboundMessage } from "../../../../src/flows/message.ts";

const choices = (n: number, label = (i: number) => `Pilihan ${i}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `opt.${i + 1}`, label: label(i + 1) }));

function render(msg: OutboundMessage) {
  const result = toWhatsApp(msg);
  for (const send of result.sends) expect(checkWhatsAppLimits(send)).toEqual([]);
  return result;
}

function interactive(send: WhatsAppSend | undefined) {
  if (send?.type !== "interactive") throw new Error(`expected an interactive send, got ${send?.type}`);
  return send.interactive;
}

describe("toWhatsApp choices", () => {
  it("renders one choice as a reply button", () => {
    const { sends, numberedIds } = render({ type: "text", text: "Lanjut?", choices: choices(1) });
    expect(sends).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Lanjut?" },
          action: { buttons: [{ type: "reply", reply: { id: "opt.1", title: "Pilihan 1" } }] },
        },
      },
    ]);
    expect(numberedIds).toBeUndefined();
  });

  it("renders three choices as three reply buttons", () => {
    const [send] = render({ type: "text", text: "Pilih", choices: choices(3) }).sends;
    const i = interactive(send);
    expect(i.type === "button" && i.action.buttons.map((b) => b.reply.id)).toEqual([
      "opt.1",
      "opt.2",
      "opt.3",
    ]);
  });

  it.each([4, 10])("renders %i choices as one list", (n) => {
    const { sends } = render({ type: "text", text: "Pilih negara tujuan", choices: choices(n) });
    expect(sends).toHaveLength(1);
    const i = interactive(sends[0]);
    if (i.type !== "list") throw new Error("expected a list");
    expect(i.body.text).toBe("Pilih negara tujuan");
    expect(i.action.button).toBe("Pilih / Choose");
    expect(i.action.sections[0]?.rows.map((r) => r.id)).toEqual(choices(n).map((c) => c.id));
  });

  it("uses the list button label it is given", () => {
    const { sends } = toWhatsApp(
      { type: "text", text: "x", choices: choices(5) },
      { listButton: "Choose a country" },
    );
    const i = interactive(sends[0]);
    expect(i.type === "list" && i.action.button).toBe("Choose a country");
  });

  it("renders 11 choices as a numbered text menu and returns the ids in order", () => {
    const { sends, numberedIds } = render({ type: "text", text: "Pilih provinsi", choices: choices(11) });
    expect(sends).toHaveLength(1);
    const send = sends[0];
    if (send?.type !== "text") throw new Error("expected text");
    expect(send.text.body).toContain("Pilih provinsi\n\n1. Pilihan 1\n2. Pilihan 2\n");
    expect(send.text.body).toContain("\n11. Pilihan 11\n");
    expect(numberedIds).toEqual(choices(11).map((c) => c.id));
    expect(numberedIds?.[6]).toBe("opt.7");
  });

  it("lets the adapter resolve a typed 7 against the numbered menu it rendered", () => {
    const { numberedIds } = toWhatsApp({ type: "text", text: "Pilih", choices: choices(11) });
    expect(resolveNumberedReply("7", numberedIds ?? [])).toEqual({ type: "choice", id: "opt.7" });
  });

  it("offers no delete button under a code + PIN message: WhatsApp cannot delete it for the person", () => {
    const text = "Kode laporan: REF-TEST\nPIN: 000000";
    const erase = { label: "Sudah saya catat — hapus pesan ini" };
    expect(render({ type: "text", text, erase })).toEqual(render({ type: "text", text }));
    expect(JSON.stringify(render({ type: "text", text, choices: choices(2), erase }))).not.toContain(
      erase.label,
    );
  });

  it("renders no send for the end of a conversation", () => {
    expect(toWhatsApp({ type: "end" })).toEqual({ sends: [] });
  });
});

describe("toWhatsApp labels", () => {
  it("shortens a long button label at a word boundary with an ellipsis", () => {
    const [send] = render({
      type: "text",
      text: "?",
      choices: [{ id: "report.agency", label: "Laporkan agen perekrut ilegal" }],
    }).sends;
    const i = interactive(send);
    const title = i.type === "button" ? i.action.buttons[0]?.reply.title : undefined;
    expect(title).toBe("Laporkan agen…");
  });

  it("disambiguates button titles that shortening made identical", () => {
    const titles = buttonTitles([
      "Saya ingin melaporkan agen perekrut",
      "Saya ingin melaporkan majikan saya",
      "Tidak",
    ]);
    expect(new Set(titles).size).toBe(3);
    expect(titles[2]).toBe("Tidak");
    for (const t of titles) expect(t.length).toBeLessThanOrEqual(20);
    expect(titles[0]).toMatch(/\(1\)$/);
    expect(titles[1]).toMatch(/\(2\)$/);
  });

  it("disambiguates identical labels", () => {
    expect(buttonTitles(["Ya", "Ya"])).toEqual(["Ya (1)", "Ya (2)"]);
  });

  it("moves the full label of a shortened list row into its description", () => {
    const long = "Hong Kong (Daerah Administratif Khusus)";
    const { sends } = render({
      type: "text",
      text: "Negara?",
      choices: [...choices(3), { id: "country.hk", label: long, description: "Pekerja rumah tangga" }],
    });
    const i = interactive(sends[0]);
    const row = i.type === "list" ? i.action.sections[0]?.rows[3] : undefined;
    expect(row?.title).toBe("Hong Kong (Daerah…");
    expect(row?.description).toBe(`${long} — Pekerja rumah tangga`);
  });

  it("keeps a fitting list row label and its own description", () => {
    const { sends } = render({
      type: "text",
      text: "Negara?",
      choices: [...choices(3), { id: "country.my", label: "Malaysia", description: "Sektor perkebunan" }],
    });
    const i = interactive(sends[0]);
    expect(i.type === "list" && i.action.sections[0]?.rows[3]).toEqual({
      id: "country.my",
      title: "Malaysia",
      description: "Sektor perkebunan",
    });
  });
});

describe("toWhatsApp long texts", () => {
  const paragraph = (n: number) =>
    `Paragraf ${n}. ${"Kata demi kata tentang migrasi aman. ".repeat(20).trim()}`;

  it("splits a long text at paragraph boundaries", () => {
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i + 1)).join("\n\n");
    expect(text.length).toBeGreaterThan(4096);
    const { sends } = render({ type: "text", text });
    expect(sends.length).toBeGreaterThan(1);
    for (const s of sends) {
      if (s.type !== "text") throw new Error("expected text");
      expect(s.text.body.startsWith("Paragraf ")).toBe(true);
      expect(s.text.body.endsWith(".")).toBe(true);
    }
    const joined = sends.map((s) => (s.type === "text" ? s.text.body : "")).join("\n\n");
    expect(joined).toBe(text);
  });

  it("never breaks an emoji when it must cut inside a word", () => {
    const text = "😀".repeat(3000);
    const { sends } = render({ type: "text", text });
    expect(sends.map((s) => (s.type === "text" ? s.text.body : "")).join("")).toBe(text);
  });

  it("sends the overflow first as text and keeps the question with the buttons", () => {
    const intro = Array.from({ length: 3 }, (_, i) => paragraph(i + 1)).join("\n\n");
    const text = `${intro}\n\nApakah Anda sudah menandatangani kontrak?`;
    const { sends } = render({ type: "text", text, choices: choices(2) });
    expect(sends.map((s) => s.type)).toEqual(["text", "interactive"]);
    const i = interactive(sends[1]);
    expect(i.body.text).toContain("Apakah Anda sudah menandatangani kontrak?");
    expect(i.body.text.length).toBeLessThanOrEqual(1024);
  });

  it("asks for a location with the native request when there are no choices", () => {
    const { sends } = render({ type: "request", kind: "location", text: "Kirim lokasi Anda" });
    expect(sends).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        type: "interactive",
        interactive: {
          type: "location_request_message",
          body: { text: "Kirim lokasi Anda" },
          action: { name: "send_location" },
        },
      },
    ]);
  });

  it("asks for a location with text and buttons when there are choices", () => {
    const { sends } = render({
      type: "request",
      kind: "location",
      text: "Kirim lokasi",
      choices: choices(1),
    });
    expect(interactive(sends[0]).type).toBe("button");
  });

  it("asks for media with a plain text hint", () => {
    const { sends } = render({ type: "request", kind: "media", text: "Kirim foto kontrak" });
    expect(sends).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        type: "text",
        text: { body: "Kirim foto kontrak" },
      },
    ]);
  });
});

describe("readReceipt and followupTemplate", () => {
  it("builds the read receipt body", () => {
    expect(readReceipt("wamid.TEST0001")).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.TEST0001",
    });
  });

  it("builds a template send with body parameters Meta accepts", () => {
    const send = followupTemplate("suara_aman_followup", "id", [
      "TPPO-7K3M-9QX2",
      "baris satu\nbaris\tdua     tiga",
    ]);
    expect(send).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      type: "template",
      template: {
        name: "suara_aman_followup",
        language: { code: "id" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "TPPO-7K3M-9QX2" },
              { type: "text", text: "baris satu baris dua tiga" },
            ],
          },
        ],
      },
    });
    expect(checkWhatsAppLimits(send)).toEqual([]);
  });

  it("builds a template without parameters", () => {
    const send = followupTemplate("suara_aman_followup", "en");
    expect(send.template).toEqual({ name: "suara_aman_followup", language: { code: "en" } });
    expect(checkWhatsAppLimits(send)).toEqual([]);
  });
});

describe("checkWhatsAppLimits", () => {
  it("names every broken limit", () => {
    const problems = checkWhatsAppLimits({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "x".repeat(1025) },
        action: {
          buttons: [
            { type: "reply", reply: { id: "a", title: "x".repeat(21) } },
            { type: "reply", reply: { id: "a", title: "y" } },
          ],
        },
      },
    });
    expect(problems.some((p) => p.startsWith("interactive.body.text"))).toBe(true);
    expect(problems.some((p) => p.startsWith("interactive.action.buttons.0.reply.title"))).toBe(true);
    expect(problems.some((p) => p.includes("ids must be unique"))).toBe(true);
  });

  it("reports a lone surrogate", () => {
    const send = {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      type: "text",
      text: { body: "a\uD83D" },
    };
    expect(checkWhatsAppLimits(send)).toEqual([expect.stringContaining("lone surrogate")]);
  });
});

describe("toWhatsApp property", () => {
  const grapheme = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("a", "b", "k", "ü", "é", "1", ".", ",", "!", "?") },
    { weight: 3, arbitrary: fc.constantFrom(" ", " ", "\n", "\n\n", "\t") },
    { weight: 2, arbitrary: fc.constantFrom("😀", "🇮🇩", "👩‍👩‍👧", "🙏🏽", "\u200d", "—", "…") },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 2 }) },
  );
  const longText = (max: number) =>
    fc
      .oneof(
        fc.array(grapheme, { minLength: 1, maxLength: 60 }),
        fc.array(grapheme, { minLength: Math.floor(max / 4), maxLength: max }),
      )
      .map((parts) => parts.join(""))
      .filter((s) => s.length > 0);
  const choiceArb = fc.record({
    label: longText(120),
    description: fc.option(longText(150), { nil: undefined }),
  });
  const messageArb: fc.Arbitrary<OutboundMessage> = fc
    .tuple(
      fc.constantFrom("text", "request-media", "request-location"),
      longText(9000),
      fc.array(choiceArb, { maxLength: 15 }),
      fc.boolean(),
    )
    .map(([kind, text, cs, withChoices]) => {
      const list = cs.map((c, i) => ({
        id: `c${i}.${"x".repeat(i * 13)}`,
        label: c.label,
        ...(c.description ? { description: c.description } : {}),
      }));
      const rendered = withChoices ? { choices: list } : {};
      if (kind === "text") return { type: "text", text, ...rendered };
      return { type: "request", kind: kind === "request-media" ? "media" : "location", text, ...rendered };
    });

  it("keeps every send of any message within every WhatsApp limit", () => {
    fc.assert(
      fc.property(messageArb, (msg) => {
        const { sends, numberedIds } = toWhatsApp(msg);
        expect(sends.length).toBeGreaterThan(0);
        for (const send of sends) expect(checkWhatsAppLimits(send)).toEqual([]);
        const n = choicesOf(msg)?.length ?? 0;
        expect(numberedIds?.length).toBe(n > 10 ? n : undefined);
      }),
      { numRuns: 300 },
    );
  });
});
