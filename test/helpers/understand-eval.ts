import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { reportSchema } from "../../src/flows/report.ts";
import { triage, type Urgency } from "../../src/flows/triage.ts";
import { INTENTS } from "../../src/flows/understand/intent.ts";
import { SIGNALS } from "../../src/flows/understand/signals.ts";
import { understand } from "../../src/flows/understand/understand.ts";

/** One labelled message of `test/fixtures/typed-messages.yaml`. */
export const labelledSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(["id", "en"]),
  intent: z.enum(INTENTS),
  signals: z.array(z.enum(SIGNALS)).default([]),
  where: z.enum(["indonesia", "abroad", "unknown"]),
  level: z.enum(["critical", "high", "normal"]),
});
export type Labelled = z.infer<typeof labelledSchema>;

export function loadCorpus(path = new URL("../fixtures/typed-messages.yaml", import.meta.url)): Labelled[] {
  return z.array(labelledSchema).parse(parse(readFileSync(path, "utf8")));
}

export type Outcome = { entry: Labelled; intent: string; level: Urgency; where: string; signals: string[] };

/** What the bot makes of each message: its intent, where, signals, and the triage a report of it alone gets. */
export function runCorpus(entries: Labelled[]): Outcome[] {
  return entries.map((entry) => {
    const u = understand(entry.text);
    const report = reportSchema.parse({
      lang: entry.lang,
      situation: u.situation ?? "other",
      narrative: entry.text,
    });
    return {
      entry,
      intent: u.intent,
      level: triage(report).urgency,
      where: u.where,
      signals: u.signals.map((s) => s.kind),
    };
  });
}

export type Scores = {
  criticalRecall: number;
  criticalPrecision: number;
  intentAccuracy: number;
  /** Accuracy of Indonesia vs abroad over messages labelled with one of them. */
  whereAccuracy: number;
  signalRecall: number;
  signalPrecision: number;
};

export function score(outcomes: Outcome[]): Scores {
  const critical = outcomes.filter((o) => o.entry.level === "critical");
  const flagged = outcomes.filter((o) => o.level === "critical");
  const placed = outcomes.filter((o) => o.entry.where !== "unknown");
  let expected = 0;
  let found = 0;
  let right = 0;
  for (const o of outcomes) {
    expected += o.entry.signals.length;
    found += o.signals.length;
    right += o.signals.filter((s) => (o.entry.signals as string[]).includes(s)).length;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    criticalRecall: ratio(critical.filter((o) => o.level === "critical").length, critical.length),
    criticalPrecision: ratio(flagged.filter((o) => o.entry.level === "critical").length, flagged.length),
    intentAccuracy: ratio(outcomes.filter((o) => o.intent === o.entry.intent).length, outcomes.length),
    whereAccuracy: ratio(placed.filter((o) => o.where === o.entry.where).length, placed.length),
    signalRecall: ratio(right, expected),
    signalPrecision: ratio(right, found),
  };
}

/** A confusion table as text: rows are the labels, columns what the bot read. */
export function confusion(
  outcomes: Outcome[],
  pick: (o: Outcome) => [string, string],
  labels: readonly string[],
): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const [want, got] = pick(o);
    counts.set(`${want}|${got}`, (counts.get(`${want}|${got}`) ?? 0) + 1);
  }
  const width = Math.max(10, ...labels.map((l) => l.length)) + 1;
  const head = `${"label \\ read".padEnd(width)}${labels.map((l) => l.slice(0, 9).padStart(10)).join("")}`;
  const rows = labels.map(
    (want) =>
      `${want.padEnd(width)}${labels.map((got) => String(counts.get(`${want}|${got}`) ?? 0).padStart(10)).join("")}`,
  );
  return [head, ...rows].join("\n");
}
