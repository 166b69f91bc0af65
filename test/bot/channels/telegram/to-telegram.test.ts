import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCallbackData,
  ERASE_CALLBACK_DATA,
} from "../../../../src/bot/channels/telegram/callback-data.ts";
import {
  answeredKeyboardEdit,
  type ChoiceKeyboard,
  type TelegramSend,
  toTelegram,
} from "../../../../src/bot/channels/telegram/to-telegram.ts";
import { type Choice, choicesOf, type OutboundMessage } from "../../../../src/flows/message.ts";

const yesNo: Choice[] = [
  { id: "yes", label: "Ya" },
  { id: "no", label: "Tidak" },
];

function inline(send: TelegramSend | undefined): ChoiceKeyboard["inline_keyboard"] | undefined {
  const markup = send?.payload.reply_markup;
  return markup && "inline_keyboard" in markup ? markup.inline_keyboard : undefined;
}

describe("toTelegram", () => {
  it("sends a plain text without parse_mode and without link previews", () => {
    const sends = toTelegram({ type: "text", text: "Halo *dunia* _ [x](y)" });
    expect(sends).toEqual([
      {
        method: "sendMessage",
        payload: {
          text: "Halo *dunia* _ [x](y)",
          link_preview_options: { is_disabled: true },
          reply_markup: { remove_keyboard: true },
        },
      },
    ]);
  });

  it("lays out short choices two per row and long ones one per row", () => {
    expect(inline(toTelegram({ type: "text", text: "Aman?", choices: yesNo })[0])).toEqual([
      [
        { text: "Ya", callback_data: "yes" },
        { text: "Tidak", callback_data: "no" },
      ],
    ]);
    const long = toTelegram({
      type: "text",
      text: "Pilih",
      choices: [
        { id: "check", label: "Cek tawaran kerja" },
        { id: "report", label: "Laporkan perdagangan orang" },
        { id: "ask", label: "Tanya" },
      ],
    });
    expect(inline(long[0])?.map((row) => row.length)).toEqual([1, 1, 1]);
  });

  it("splits a long text at paragraph breaks and puts the keyboard on the last part", () => {
    const para = "Kalimat pertama. Kalimat kedua.".repeat(60);
    const text = `${para}\n\n${para}\n\n${para}`;
    const sends = toTelegram({ type: "text", text, choices: yesNo });
    expect(sends.map((s) => s.payload.text)).toEqual([`${para}\n\n${para}`, para]);
    expect(sends[0]?.payload.reply_markup).toBeUndefined();
    expect(inline(sends[1])).toBeDefined();
  });

  it("falls back to line breaks, then sentence ends, then spaces, then a hard cut", () => {
    const line = "x".repeat(3000);
    expect(toTelegram({ type: "text", text: `${line}\n${line}` }).map((s) => s.payload.text)).toEqual([
      line,
      line,
    ]);

    const sentence = `${"kata ".repeat(500)}akhir.`;
    const bySentence = toTelegram({ type: "text", text: `${sentence} ${sentence}` }).map(
      (s) => s.payload.text,
    );
    expect(bySentence).toEqual([sentence, sentence]);

    const words = toTelegram({ type: "text", text: "kata ".repeat(1000) }).map((s) => s.payload.text);
    expect(words.every((t) => t.length <= 4096 && !t.startsWith(" ") && t.endsWith("kata"))).toBe(true);
    expect(words.join(" ")).toBe("kata ".repeat(1000).trim());

    const hard = toTelegram({ type: "text", text: "y".repeat(9000) }).map((s) => s.payload.text.length);
    expect(hard).toEqual([4096, 4096, 808]);
  });

  it("never cuts inside a surrogate pair or an emoji sequence", () => {
    const text = `a${"😀".repeat(3000)}`;
    const parts = toTelegram({ type: "text", text }).map((s) => s.payload.text);
    expect(parts.join("")).toBe(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts[1]?.startsWith("😀")).toBe(true);

    const family = "👨‍👩‍👧‍👦";
    const families = toTelegram({ type: "text", text: `ab${family.repeat(500)}` }).map((s) => s.payload.text);
    expect(families.join("")).toBe(`ab${family.repeat(500)}`);
    expect(families[1]?.startsWith(family)).toBe(true);
  });

  it("asks for a location with a one-time reply keyboard and sends choices in a second message", () => {
    const sends = toTelegram({
      type: "request",
      kind: "location",
      text: "Di mana kejadiannya?",
      choices: yesNo,
    });
    expect(sends).toHaveLength(2);
    expect(sends[0]?.payload).toEqual({
      text: "Di mana kejadiannya?",
      link_preview_options: { is_disabled: true },
      reply_markup: {
        keyboard: [[{ text: "📍 Kirim lokasi", request_location: true }]],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    });
    expect(sends[1]?.payload.text).toBe("Atau pilih:");
    expect(
      inline(sends[1])
        ?.flat()
        .map((b) => b.callback_data),
    ).toEqual(["yes", "no"]);
  });

  it("uses the conversation's language for the channel's own words", () => {
    const sends = toTelegram({ type: "request", kind: "location", text: "Where?" }, { lang: "en" });
    expect(sends).toHaveLength(1);
    expect(JSON.stringify(sends[0]?.payload.reply_markup)).toContain("📍 Share location");
  });

  it("adds an attachment hint to a media request", () => {
    const [send] = toTelegram(
      { type: "request", kind: "media", text: "Kirim foto kontrak." },
      { lang: "id" },
    );
    expect(send?.payload.text).toMatch(/^Kirim foto kontrak\.\n\n📎 /);
  });

  it("puts a delete button under a message that shows a code and PIN, after any choices", () => {
    const erase = { label: "Sudah saya catat — hapus pesan ini" };
    expect(inline(toTelegram({ type: "text", text: "Kode: REF-1 PIN: 1", erase })[0])).toEqual([
      [{ text: erase.label, callback_data: ERASE_CALLBACK_DATA }],
    ]);
    const withChoices = toTelegram({ type: "text", text: "Kode", choices: yesNo, erase });
    expect(
      inline(withChoices[0])
        ?.flat()
        .map((b) => b.callback_data),
    ).toEqual(["yes", "no", ERASE_CALLBACK_DATA]);
    const para = "Kalimat pertama. Kalimat kedua.".repeat(60);
    const long = toTelegram({ type: "text", text: `${para}\n\n${para}\n\n${para}`, erase });
    expect(
      long.map((s) =>
        inline(s)
          ?.flat()
          .map((b) => b.callback_data),
      ),
    ).toEqual([[ERASE_CALLBACK_DATA], undefined]);
  });

  it("renders nothing for the end of a conversation", () => {
    expect(toTelegram({ type: "end" })).toEqual([]);
  });

  it("spreads more than 100 choices over several keyboards", () => {
    const choices = Array.from({ length: 230 }, (_, i) => ({ id: `c${i}`, label: `Pilihan nomor ${i}` }));
    const sends = toTelegram({ type: "text", text: "Pilih", choices });
    expect(sends.map((s) => inline(s)?.flat().length)).toEqual([100, 100, 30]);
  });

  it("describes removing the keyboard of an answered message", () => {
    expect(answeredKeyboardEdit(42)).toEqual({
      method: "editMessageReplyMarkup",
      payload: { message_id: 42, reply_markup: { inline_keyboard: [] } },
    });
  });

  it("keeps every call within Telegram's limits and every button decodable, for any message", () => {
    const anyChar = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
    const unit = fc.oneof(fc.constantFrom("😀", "👨‍👩‍👧", "\n", "\n\n", ". ", " ", "kata"), anyChar);
    const text = fc.oneof(
      fc.string({ unit, maxLength: 50 }),
      fc.string({ unit, maxLength: 20_000, size: "max" }),
    );
    const choice = fc.record({
      id: fc.string({
        unit: fc.oneof(anyChar, fc.constantFrom("é", "🙏", "~")),
        minLength: 1,
        maxLength: 200,
      }),
      label: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
    });
    const choices = fc.option(fc.array(choice, { maxLength: 12 }), { nil: undefined });
    const message: fc.Arbitrary<OutboundMessage> = fc.oneof(
      fc.record({ type: fc.constant("text" as const), text: text.filter((t) => t.length > 0), choices }),
      fc.record({
        type: fc.constant("request" as const),
        kind: fc.constantFrom("media" as const, "location" as const),
        text: text.filter((t) => t.length > 0),
        choices,
      }),
      fc.constant({ type: "end" as const }),
    );
    fc.assert(
      fc.property(message, fc.constantFrom("id" as const, "en" as const), (msg, lang) => {
        const sends = toTelegram(msg, { lang });
        for (const send of sends) {
          expect(send.payload.text.length).toBeGreaterThanOrEqual(1);
          expect(send.payload.text.length).toBeLessThanOrEqual(4096);
          expect(send.payload.text.trim()).toBe(send.payload.text);
          expect(send.payload).not.toHaveProperty("parse_mode");
        }
        const offered = choicesOf(msg) ?? [];
        const buttons = sends.flatMap((s) => inline(s)?.flat() ?? []);
        expect(buttons).toHaveLength(offered.length);
        const ids = offered.map((c) => c.id);
        buttons.forEach((button, i) => {
          const data = button.callback_data;
          expect(Buffer.byteLength(data, "utf8")).toBeGreaterThanOrEqual(1);
          expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
          expect(decodeCallbackData(data, ids)).toBe(ids[i]);
          expect(button.text.trim().length).toBeGreaterThan(0);
        });
        if (msg.type === "text" && msg.text.trim().length > 0) {
          const kept = sends.map((s) => s.payload.text).join("");
          expect(kept.replace(/\s/g, "")).toBe(msg.text.replace(/\s/g, ""));
          for (const earlier of sends.slice(0, -1)) expect(earlier.payload.reply_markup).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});
