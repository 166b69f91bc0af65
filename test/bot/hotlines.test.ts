import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { applyHotlines, applyHotlinesFile } from "../../src/bot/hotlines.ts";
import { parseContacts } from "../../src/bot/officers/contacts.ts";
import { t } from "../../src/flows/content/catalog.ts";
import { qaEntry } from "../../src/flows/qa-search.ts";

const EXAMPLE = "config/contacts.example.yaml";
const example = () => readFileSync(EXAMPLE, "utf8");

describe("hotlines from the contacts file", () => {
  afterEach(() => applyHotlinesFile(EXAMPLE));

  it("changing a number in the contacts file changes every message that shows it", () => {
    const changed = example().replace('number: "+62-21-29244800"', 'number: "+62-21-00000000"');
    applyHotlines(parseContacts(changed, "yaml", "test"), "test");
    for (const lang of ["id", "en"] as const) {
      expect(t(lang, "typed.danger.abroad")).toContain("+62-21-00000000");
      expect(t(lang, "emergency.list")).toContain("+62-21-00000000");
      expect(t(lang, "typed.danger.abroad")).not.toContain("{hotline");
    }
  });

  it("shows the numbers, not placeholders, in every text of the example file", () => {
    for (const lang of ["id", "en"] as const) {
      for (const key of [
        "typed.intro",
        "typed.intro_abroad",
        "typed.danger.indonesia",
        "typed.danger.unknown",
        "menu.help",
        "emergency.list",
      ]) {
        expect(t(lang, key), `${lang} ${key}`).not.toMatch(/\{hotlines?\./);
      }
      expect(t(lang, "typed.danger.indonesia")).toContain("110");
      expect(qaEntry(lang, "hotlines")?.answer).not.toContain("{hotline");
    }
  });

  it("stops the start with one clear line per hotline the texts need and the file lacks", () => {
    const without = example().replace(/id: kp2mi_abroad,?\s*/, "");
    expect(() => applyHotlines(parseContacts(without, "yaml", "contacts.yaml"), "contacts.yaml")).toThrow(
      /hotlines: add an entry with id: kp2mi_abroad/,
    );
  });
});
