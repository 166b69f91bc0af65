import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Lang } from "../message.ts";
import { readYamlFile } from "./yaml-file.ts";

/**
 * Translation catalogs: every `content/<lang>/<name>.yaml` file is read once at start and flattened
 * into keys `<name>.<path.to.key>`. Texts are plain strings with `{placeholders}`. A non-programmer
 * edits the YAML; a test checks that every key exists in every language.
 */
export type Catalog = ReadonlyMap<string, string>;

const contentDir = dirname(fileURLToPath(import.meta.url));

/** Languages in the order they are offered. */
export const LANGS: readonly Lang[] = ["id", "en"];

/** Reads and flattens the catalog of one language from `dir` (defaults to the shipped content). */
export function loadCatalog(lang: Lang, dir: string = contentDir): Catalog {
  const out = new Map<string, string>();
  const langDir = join(dir, lang);
  for (const file of readdirSync(langDir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    const doc = readYamlFile(join(langDir, file));
    flatten(basename(file, ".yaml"), doc, out, `${lang}/${file}`);
  }
  return out;
}

function flatten(prefix: string, value: unknown, out: Map<string, string>, where: string): void {
  if (typeof value === "string") {
    out.set(prefix, value.trimEnd());
    return;
  }
  if (typeof value === "number" || typeof value === "boolean") {
    out.set(prefix, String(value));
    return;
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out, where);
    return;
  }
  throw new Error(`${where}: key "${prefix}" must be text or a group of texts`);
}

const catalogs = new Map<Lang, Catalog>(LANGS.map((lang) => [lang, loadCatalog(lang)]));

/** Every catalog, by language. */
export function allCatalogs(): ReadonlyMap<Lang, Catalog> {
  return catalogs;
}

/** A public number the texts show, by the id they use (`{hotline.<id>}`), with the day it was checked. */
export type HotlineNumber = { id: string; number: string; checked: string };

let hotlines = new Map<string, HotlineNumber>();

/**
 * Makes the contacts file the one source of every number in the texts: `{hotline.<id>}` shows that
 * hotline's number and `{hotlines.checked}` the oldest day any of them was checked. Called at start with
 * the configured contacts file (the example file is the default and what the tests use).
 */
export function useHotlines(list: readonly HotlineNumber[]): void {
  hotlines = new Map(list.map((h) => [h.id, h]));
}

/** Hotline ids the texts of any language refer to, e.g. `police`, `kp2mi_abroad`. */
export function hotlineIdsUsed(): Set<string> {
  const ids = new Set<string>();
  for (const catalog of catalogs.values()) {
    for (const text of catalog.values())
      for (const m of text.matchAll(/\{hotline\.([\w-]+)\}/g)) ids.add(m[1]!);
  }
  return ids;
}

/**
 * `text` with `{hotline.<id>}`, `{hotlines.checked}` and shared snippets `{text.<key>}` (one text written
 * once, e.g. how to clear the chat) filled in; for texts shown without {@link t}, like Q&A answers.
 */
export function fillShared(lang: Lang, text: string): string {
  if (!text.includes("{")) return text;
  const vars = text.includes("{hotline") ? hotlineVars() : {};
  return text.replace(/\{((?:hotlines?|text)\.[\w.-]+)\}/g, (whole, name: string) => {
    if (name.startsWith("text.")) {
      const shared = catalogs.get(lang)?.get(name.slice(5));
      return shared !== undefined && !shared.includes("{text.") ? fillShared(lang, shared) : whole;
    }
    return vars[name] ?? whole;
  });
}

function hotlineVars(): Record<string, string> {
  const vars: Record<string, string> = {};
  let oldest: string | undefined;
  for (const h of hotlines.values()) {
    vars[`hotline.${h.id}`] = h.number;
    if (!oldest || h.checked < oldest) oldest = h.checked;
  }
  if (oldest) vars["hotlines.checked"] = oldest;
  return vars;
}

/**
 * Looks up `key` in `lang` and fills `{name}` placeholders from `vars` (and `{hotline.<id>}` from the hotlines). A missing key falls back
 * to Indonesian, then to the key itself, so a catalog typo never crashes a conversation (the
 * catalog test catches it first).
 */
export function t(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const text = catalogs.get(lang)?.get(key) ?? catalogs.get("id")?.get(key) ?? key;
  const filled = text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
  return fillShared(lang, filled);
}

/** Whether `key` exists in the catalog of `lang`. */
export function hasKey(lang: Lang, key: string): boolean {
  return catalogs.get(lang)?.has(key) ?? false;
}
