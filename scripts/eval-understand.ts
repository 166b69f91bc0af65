/**
 * `npm run eval:understand`: reads test/fixtures/typed-messages.yaml, runs the understanding module on every
 * message and prints the scores and confusion tables (intent, triage level, where). `--misses` lists every
 * message read wrongly. The same scores are enforced by test/flows/understand/corpus.test.ts.
 */
import { INTENTS } from "../src/flows/understand/intent.ts";
import { confusion, loadCorpus, runCorpus, score } from "../test/helpers/understand-eval.ts";

const outcomes = runCorpus(loadCorpus());
const s = score(outcomes);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
console.log(`${outcomes.length} labelled messages\n`);
console.log(`critical recall     ${pct(s.criticalRecall)}  (target ≥ 98%)`);
console.log(`critical precision  ${pct(s.criticalPrecision)}  (target ≥ 85%)`);
console.log(`intent accuracy     ${pct(s.intentAccuracy)}  (target ≥ 90%)`);
console.log(`where accuracy      ${pct(s.whereAccuracy)}  (target ≥ 95%)`);
console.log(`signal recall       ${pct(s.signalRecall)}`);
console.log(`signal precision    ${pct(s.signalPrecision)}\n`);
console.log(`Intent\n${confusion(outcomes, (o) => [o.entry.intent, o.intent], INTENTS)}\n`);
console.log(
  `Triage level\n${confusion(outcomes, (o) => [o.entry.level, o.level], ["critical", "high", "normal"])}\n`,
);
console.log(
  `Where\n${confusion(outcomes, (o) => [o.entry.where, o.where], ["indonesia", "abroad", "unknown"])}`,
);
if (process.argv.includes("--misses")) {
  console.log("\nMisses:");
  for (const o of outcomes) {
    const e = o.entry;
    const wrong = [
      o.intent !== e.intent ? `intent ${e.intent}→${o.intent}` : "",
      o.level !== e.level ? `level ${e.level}→${o.level}` : "",
      e.where !== "unknown" && o.where !== e.where ? `where ${e.where}→${o.where}` : "",
      [...o.signals].sort().join(",") !== [...e.signals].sort().join(",")
        ? `signals [${e.signals}]→[${o.signals}]`
        : "",
    ].filter(Boolean);
    if (wrong.length > 0) console.log(`- ${e.text}\n    ${wrong.join("; ")}`);
  }
}
