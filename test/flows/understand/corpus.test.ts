import { describe, expect, it } from "vitest";
import { loadCorpus, runCorpus, score } from "../../helpers/understand-eval.ts";

const corpus = loadCorpus();

describe("typed-message corpus", () => {
  it("holds at least 200 labelled messages, 150 Indonesian and 50 English", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(corpus.filter((e) => e.lang === "id").length).toBeGreaterThanOrEqual(150);
    expect(corpus.filter((e) => e.lang === "en").length).toBeGreaterThanOrEqual(50);
  });

  it("is read well enough: critical recall ≥ 0.98, precision ≥ 0.85, intent ≥ 0.90, where ≥ 0.95", () => {
    const s = score(runCorpus(corpus));
    console.log(
      `understand: critical recall ${s.criticalRecall.toFixed(3)}, precision ${s.criticalPrecision.toFixed(3)}, ` +
        `intent ${s.intentAccuracy.toFixed(3)}, where ${s.whereAccuracy.toFixed(3)}`,
    );
    expect(s.criticalRecall).toBeGreaterThanOrEqual(0.98);
    expect(s.criticalPrecision).toBeGreaterThanOrEqual(0.85);
    expect(s.intentAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(s.whereAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
