import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allCatalogs, LANGS, t } from "../../src/flows/content/catalog.ts";

const FLOWS_DIR = new URL("../../src/flows/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return sources(join(dir, e.name));
    return e.name.endsWith(".ts") ? [readFileSync(join(dir, e.name), "utf8")] : [];
  });
}

/** Keys passed to `t(lang, "…")` or `t(lang, \`…${x}…\`)` anywhere in src/flows. */
function referencedKeys(): { literal: Set<string>; templates: Set<string> } {
  const literal = new Set<string>();
  const templates = new Set<string>();
  for (const src of sources(FLOWS_DIR)) {
    for (const m of src.matchAll(/\bt\(\s*[\w.?"]+,\s*"([^"]+)"/g)) literal.add(m[1]!);
    for (const m of src.matchAll(/\bt\(\s*[\w.?"]+,\s*`([^`]+)`/g)) templates.add(m[1]!);
  }
  return { literal, templates };
}

describe("catalogs", () => {
  it("say how to clear the chat in one place only, used by every text that needs it", () => {
    for (const lang of LANGS) {
      const catalog = allCatalogs().get(lang)!;
      const writers = [...catalog]
        .filter(([, text]) => /Bersihkan chat|Clear chat/.test(text))
        .map(([k]) => k);
      expect(writers).toEqual(["common.clear_chat"]);
      expect(t(lang, "menu.delete.done")).toContain(t(lang, "common.clear_chat"));
    }
  });

  it("have the same keys in every language", () => {
    const [first, ...rest] = LANGS.map((lang) => [...(allCatalogs().get(lang)?.keys() ?? [])].sort());
    for (const keys of rest) expect(keys).toEqual(first);
  });

  it("contain every key the flows look up", () => {
    const { literal, templates } = referencedKeys();
    expect(literal.size).toBeGreaterThan(50);
    for (const lang of LANGS) {
      const catalog = allCatalogs().get(lang)!;
      for (const key of literal) expect(catalog.has(key), `${lang}: ${key}`).toBe(true);
      for (const template of templates) {
        const pattern = new RegExp(`^${template.replace(/\$\{[^}]+\}/g, "[\\w.-]+").replace(/\./g, "\\.")}$`);
        const matching = [...catalog.keys()].filter((k) => pattern.test(k));
        expect(matching.length, `${lang}: ${template}`).toBeGreaterThan(0);
      }
    }
  });

  it("show only the hotline numbers DOMAIN lists", () => {
    const allowed = new Set([
      "110",
      "112",
      "129",
      "021-129",
      "08111-129-129",
      "0800-1000",
      "+62-21-29244800",
      "0811-8080-141",
    ]);
    for (const lang of LANGS) {
      const catalog = allCatalogs().get(lang)!;
      for (const key of [
        "emergency.list",
        "typed.danger.indonesia",
        "typed.danger.abroad",
        "typed.danger.unknown",
      ]) {
        expect(catalog.get(key)).toContain("{hotline.");
        const numbers = t(lang, key).match(/\+?\d[\d-]{1,}\d/g) ?? [];
        expect(numbers.length).toBeGreaterThan(2);
        for (const n of numbers) expect(allowed.has(n), `${lang} ${key}: ${n}`).toBe(true);
      }
    }
  });
});
