import { lexicon } from "./lexicon.ts";
import { normalise } from "./normalise.ts";
import { findAll, negatorWords } from "./phrases.ts";

/**
 * Whether a message speaks of reporting, and how. With a report from the person's words on offer, it
 * answers the offer: "gimana cara lapor", "how do I report", "ok laporkan aja" take the offer; "jangan lapor dulu",
 * "don't report yet" decline it. The report words are the lexicon's `choices.report`.
 */
export function asksToReport(typed: string): "report" | "no" | undefined {
  const tokens = normalise(typed);
  const hit = findAll(tokens, lexicon().choices.report ?? [])[0];
  if (!hit) return undefined;
  // Declined only when a negator stands right before the report word ("jangan lapor", "ga usah
  // lapor", "do not report"); "ga tau cara lapor" (not knowing how) still asks to report.
  const negators = negatorWords();
  const before = tokens.slice(Math.max(0, hit.start - 2), hit.start);
  return before.some((tok) => tok.forms.some((f) => negators.has(f))) ? "no" : "report";
}
