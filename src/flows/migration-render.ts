import { t } from "./content/catalog.ts";
import { MAX_BODY_WITH_CHOICES as MAX_BODY } from "./limits.ts";
import type { Lang } from "./message.ts";
import { type CheckAnswers, type CheckItem, type CheckResult, cleanText } from "./migration-check.ts";

/**
 * The texts of a safe-migration check result. The result itself is one message: the verdict, what was
 * understood, the three most important points and the helpline. Everything else (each point explained,
 * the to-do list, the legal route, all helplines) is the detail, shown on request. Every acronym is
 * explained where a text first uses it (`migration.acronyms.*`).
 */

/** How many points the result message shows before "more detail". */
export const TOP_POINTS = 3;

/** The result as one message of at most 1024 characters: verdict first, then up to three points. */
export function renderCheckResult(lang: Lang, result: CheckResult, answers: CheckAnswers): string[] {
  const head = [t(lang, `migration.result.header.${result.level}`), ...echoLines(lang, answers)].join("\n");
  const items = [...result.findings, ...result.todo];
  const help = t(lang, "migration.result.help_short");
  const build = (shown: number): string => {
    const parts = [head];
    if (shown > 0) {
      const lines = [
        t(lang, "migration.result.points_intro"),
        ...items.slice(0, shown).map((i) => `• ${point(lang, i)}`),
      ];
      if (items.length > shown) lines.push(t(lang, "migration.result.more", { count: items.length - shown }));
      parts.push(lines.join("\n"));
    }
    parts.push(help);
    return explainAcronyms(lang, parts.join("\n\n"));
  };
  for (let shown = Math.min(TOP_POINTS, items.length); shown > 1; shown--) {
    const text = build(shown);
    if (text.length <= MAX_BODY) return [text];
  }
  return [cut(build(Math.min(1, items.length)))];
}

/** Said before the remaining questions when what was typed already makes the result high. */
export function renderEarlyWarning(lang: Lang, result: CheckResult): string {
  const points = result.findings.slice(0, 2).map((i) => `• ${point(lang, i)}`);
  const body = [t(lang, "migration.early.warning"), ...points].join("\n");
  return cut(explainAcronyms(lang, `${body}\n\n${t(lang, "migration.early.advice")}`));
}

/**
 * "More detail": every finding explained, what to get before leaving, the legal route and every
 * helpline, in as few messages of at most 1024 characters as it takes.
 */
export function renderCheckDetail(lang: Lang, result: CheckResult, _answers: CheckAnswers): string[] {
  const paragraphs: string[] = [];
  const list = (intro: string, items: CheckItem[]) => {
    const [first, ...rest] = items.map((i) => `• ${itemText(lang, i)}`);
    if (first) paragraphs.push(`${t(lang, intro)}\n${first}`, ...rest);
  };
  list("migration.result.details_intro", result.findings);
  list("migration.result.todo_intro", result.todo);
  paragraphs.push(t(lang, "migration.result.next_steps"), t(lang, "migration.result.helplines"));
  const seen = new Set<string>();
  return pack(
    paragraphs.map((p) => explainAcronyms(lang, p, seen)),
    MAX_BODY,
  );
}

/** A short text the user can forward to family: level, warning signs, how to check, helplines. */
export function renderFamilySummary(lang: Lang, result: CheckResult, answers: CheckAnswers): string {
  const head = [
    t(lang, "migration.family.intro"),
    ...echoLines(lang, answers),
    t(lang, `migration.family.level.${result.level}`),
  ].join("\n");
  const closing = t(lang, "migration.family.closing");
  if (result.findings.length === 0) {
    return cut(explainAcronyms(lang, `${head}\n${t(lang, "migration.family.none")}\n\n${closing}`));
  }
  const suffix = ` ${t(lang, "migration.family.unsure_suffix")}`;
  const items = result.findings.map(
    (f) => `- ${t(lang, `migration.labels.${f.id}`)}${f.key.endsWith(".unsure") ? suffix : ""}`,
  );
  const build = (shown: number): string => {
    const lines = [t(lang, "migration.family.flags_intro"), ...items.slice(0, shown)];
    if (shown < items.length) lines.push(t(lang, "migration.family.more", { count: items.length - shown }));
    return explainAcronyms(lang, `${head}\n\n${lines.join("\n")}\n\n${closing}`);
  };
  for (let shown = items.length; shown > 0; shown--) {
    const text = build(shown);
    if (text.length <= MAX_BODY) return text;
  }
  return cut(build(0));
}

/** Acronyms explained on first use, with the catalog key of each explanation. */
const ACRONYMS = [
  "SISKOP2MI",
  "SIP3MI",
  "P3MI",
  "KP2MI",
  "BP2MI",
  "BP3MI",
  "LTSA",
  "SKCK",
  "OPP",
  "BPJS",
  "TPPO",
  "Disnaker",
  "KBRI",
] as const;
const ACRONYM = new RegExp(`\\b(${ACRONYMS.join("|")})\\b( Bali)?`, "g");

/**
 * Adds "(explanation)" after the first use of each acronym in `text` not yet in `seen` (which it
 * fills), unless the text explains it already ("OPP (…)"). A use inside brackets ("pre-departure
 * orientation (OPP)") is left as it is.
 */
export function explainAcronyms(lang: Lang, text: string, seen: Set<string> = new Set()): string {
  return text.replace(ACRONYM, (whole: string, acronym: string, _bali: string | undefined, at: number) => {
    if (seen.has(acronym)) return whole;
    const before = text.slice(0, at);
    // Inside brackets an explanation would nest brackets: the next use outside explains it.
    if (before.split("(").length > before.split(")").length) return whole;
    seen.add(acronym);
    const after = text.slice(at + whole.length, at + whole.length + 2);
    if (after === " (") return whole;
    return `${whole} (${t(lang, `migration.acronyms.${acronym}`)})`;
  });
}

/** The first line of an item's text: the point itself; the rest explains it. */
function point(lang: Lang, item: CheckItem): string {
  const text = itemText(lang, item);
  return text.split("\n")[0] ?? text;
}

function itemText(lang: Lang, item: CheckItem): string {
  const text = t(lang, item.key);
  return item.key.endsWith(".unsure") ? `${t(lang, "migration.result.unsure_prefix")} ${text}` : text;
}

function echoLines(lang: Lang, answers: CheckAnswers): string[] {
  const lines: string[] = [];
  for (const id of ["destination", "job", "agency"]) {
    const value = cleanText(answers[id], 50);
    if (value) lines.push(t(lang, `migration.result.echo.${id}`, { value }));
  }
  return lines;
}

function cut(text: string): string {
  return text.length <= MAX_BODY ? text : `${text.slice(0, MAX_BODY - 1)}…`;
}

/** Joins paragraphs with blank lines into as few messages of at most `max` characters as it can. */
function pack(paragraphs: string[], max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const paragraph of paragraphs.map(cut)) {
    const joined = current ? `${current}\n\n${paragraph}` : paragraph;
    if (joined.length <= max) current = joined;
    else {
      out.push(current);
      current = paragraph;
    }
  }
  if (current) out.push(current);
  return out;
}
