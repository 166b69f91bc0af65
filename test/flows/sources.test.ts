import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseContacts } from "../../src/bot/officers/contacts.ts";
import { allCatalogs } from "../../src/flows/content/catalog.ts";

const sources = readFileSync("docs/SOURCES.md", "utf8");
const contacts = parseContacts(readFileSync("config/contacts.example.yaml", "utf8"), "yaml", "example");
const hotlineNumbers = new Set(contacts.hotlines.map((h) => h.number));

/** Phone-like numbers, figures of three or more digits, and web addresses a text states. */
function statedFacts(text: string): string[] {
  const facts = new Set<string>();
  for (const m of text.matchAll(/\+?\d[\d.,-]*\d/g)) {
    if (m[0].replace(/\D/g, "").length >= 3) facts.add(m[0].replace(/[.,-]+$/, ""));
  }
  for (const m of text.matchAll(
    /\b(?:https?:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:go\.id|id|com|org|net|int)\b/gi,
  )) {
    facts.add(m[0].toLowerCase());
  }
  return [...facts];
}

describe("sources of the content", () => {
  it("lists in docs/SOURCES.md or the contacts file every number and web address a text states", () => {
    const missing: string[] = [];
    for (const [lang, catalog] of allCatalogs()) {
      for (const [key, text] of catalog) {
        for (const fact of statedFacts(text)) {
          if (!hotlineNumbers.has(fact) && !sources.includes(fact)) missing.push(`${lang} ${key}: ${fact}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("writes no hotline number into a text: texts name it as {hotline.<id>}", () => {
    const offenders: string[] = [];
    for (const [lang, catalog] of allCatalogs()) {
      for (const [key, text] of catalog) {
        for (const n of hotlineNumbers) {
          if (n.length >= 7 && text.includes(n)) offenders.push(`${lang} ${key}: ${n}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("notices a number that has no source", () => {
    expect(statedFacts("Hubungi 0812-3456-7890 atau buka contoh-palsu.go.id")).toEqual([
      "0812-3456-7890",
      "contoh-palsu.go.id",
    ]);
    expect(sources.includes("0812-3456-7890")).toBe(false);
  });
});
