import type { ToWhatsAppOptions } from "./to-whatsapp.ts";

/**
 * The few words the WhatsApp renderer adds itself, per conversation language (Indonesian when the
 * language is not known yet). The list button label must fit 20 characters.
 */
export function whatsAppWords(lang: string | null | undefined): Required<ToWhatsAppOptions> {
  return lang === "en" ? EN : ID;
}

const ID: Required<ToWhatsAppOptions> = {
  listButton: "Lihat pilihan",
  numberPrompt: "Balas dengan angka pilihan Anda, misalnya 1.",
};

const EN: Required<ToWhatsAppOptions> = {
  listButton: "See options",
  numberPrompt: "Reply with the number of your choice, e.g. 1.",
};

/** Graph template language code for a conversation language. */
export function templateLanguage(lang: string | null | undefined): string {
  return lang === "en" ? "en" : "id";
}
