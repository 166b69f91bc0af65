import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import type { Lang, StatusResult } from "../../src/flows/message.ts";
import { assessCheck, checkQuestions } from "../../src/flows/migration-check.ts";
import {
  renderCheckDetail,
  renderCheckResult,
  renderFamilySummary,
} from "../../src/flows/migration-render.ts";
import { searchQa } from "../../src/flows/qa-search.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

const LANGS: Lang[] = ["id", "en"];

const QUERIES: Record<Lang, string[]> = {
  id: ["visa turis", "agen resmi", "biaya penempatan", "paspor ditahan"],
  en: ["tourist visa", "official agency", "placement fee", "passport kept"],
};

function openCase(): StatusResult {
  return {
    ok: true,
    code: "TPPO-7K3M-9QX2",
    status: "in_progress",
    outcome: "Sedang diperiksa",
    questions: [
      { id: "q-a", text: "Kapan adik Anda berangkat?", answered: true },
      { id: "q-b", text: "Di kota mana kantor agennya?", answered: false },
    ],
  };
}

describe.each(LANGS)("safe-migration check (%s)", (lang) => {
  it("asks every check question in order, then the result in at most two messages, and more detail on request", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    expect(d.said).toContain(t(lang, "menu.check.intro"));
    for (const [i, q] of checkQuestions.entries()) {
      expect(d.state).toEqual({ check: "question" });
      expect(d.said).toContain(t(lang, q.key));
      expect(d.said).toContain(t(lang, "menu.check.progress", { n: i + 1, total: checkQuestions.length }));
      if (q.kind === "text") {
        d.text("tolong");
        expect(d.context.check?.answers[q.id]).toBe("tolong");
      } else {
        d.text("pizza enak");
        expect(d.said).toContain(t(lang, "common.reask"));
        d.text(i % 2 === 0 ? "gak tau" : "mungkin");
        expect(d.context.check?.answers[q.id]).toBe("unsure");
      }
    }
    expect(d.state).toEqual({ check: "result" });
    const answers = d.context.check?.answers ?? {};
    const result = assessCheck(answers);
    // The verdict first, then the question what next: two messages, no family summary yet.
    expect(d.replies).toHaveLength(2);
    expect(d.said.startsWith(renderCheckResult(lang, result, answers)[0] ?? "-")).toBe(true);
    expect(d.said).not.toContain(t(lang, "menu.check.summary_intro"));
    expect(result.level).toBe("medium");
    expect(d.choiceIds).toEqual([
      "check.result:detail",
      "check.result:checkin",
      "check.result:qa",
      "check.result:report",
      "check.result:menu",
    ]);
    d.choose("check.result:detail");
    expect(d.state).toEqual({ check: "detail" });
    for (const text of renderCheckDetail(lang, result, answers)) expect(d.said).toContain(text);
    expect(d.said).toContain(t(lang, "menu.check.summary_intro"));
    expect(d.said).toContain(renderFamilySummary(lang, result, answers));
    expect(d.choiceIds).toEqual([
      "check.detail:checkin",
      "check.detail:qa",
      "check.detail:report",
      "check.detail:menu",
    ]);
    d.choose("check.detail:menu");
    expect(d.state).toBe("menu");
    expect(d.context.check).toBeNull();
  });

  it("takes a typed 'belum' as 'not yet', rates a legal applicant low and offers detail and questions before a report", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    const typed: Record<string, string> = {
      destination: "Taiwan",
      job: "pabrik elektronik",
      agency: "PT Maju Jaya",
    };
    for (const q of checkQuestions) {
      if (q.kind === "text") d.text(typed[q.id] ?? "");
      else if (q.notYet) {
        d.text(lang === "id" ? "belum" : "not yet");
        expect(d.context.check?.answers[q.id]).toBe("not_yet");
      } else d.text(lang === "id" ? "tidak" : "no");
    }
    expect(d.state).toEqual({ check: "result" });
    expect(d.replies.length).toBeLessThanOrEqual(2);
    expect(d.said).toContain(t(lang, "migration.result.header.low").slice(0, 20));
    expect(d.choiceIds[0]).not.toBe("check.result:report");
    expect(d.choiceIds).toEqual([
      "check.result:detail",
      "check.result:checkin",
      "check.result:qa",
      "check.result:menu",
      "check.result:report",
    ]);
    d.choose("check.result:qa");
    expect(d.state).toEqual({ qa: "ask" });
    expect(d.context.check).toBeNull();
  });

  it("offers four answers where 'not yet' is possible, and keeps 'no' as 'no'", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    for (const q of checkQuestions) {
      if (q.id === "written_contract") break;
      d.choose(q.kind === "text" ? `check.q.${q.id}:skip` : `check.q.${q.id}:no`);
    }
    expect(d.choiceIds).toEqual([
      "check.q.written_contract:yes",
      "check.q.written_contract:not_yet",
      "check.q.written_contract:no",
      "check.q.written_contract:unsure",
    ]);
    d.text(lang === "id" ? "tidak" : "no");
    expect(d.context.check?.answers.written_contract).toBe("no");
  });

  it("lets a text question be skipped and ignores buttons of earlier questions", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:check");
    const first = checkQuestions[0]!;
    const firstId = first.kind === "text" ? `check.q.${first.id}:skip` : `check.q.${first.id}:no`;
    d.choose(firstId);
    d.choose(firstId);
    expect(d.said).toContain(t(lang, "common.expired"));
    expect(d.context.check?.index).toBe(1);
    expect(d.context.check?.answers[first.id]).toBe(first.kind === "text" ? undefined : "no");
  });
});

describe.each(LANGS)("questions and answers (%s)", (lang) => {
  it("answers with the best match and offers up to two related questions and the menu", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:qa");
    expect(d.state).toEqual({ qa: "ask" });
    const query = QUERIES[lang].find((q) => searchQa(lang, q).length > 0);
    expect(query).toBeDefined();
    const hits = searchQa(lang, query ?? "");
    d.text(query ?? "");
    expect(d.state).toEqual({ qa: "answered" });
    expect(d.said).toContain(hits[0]?.answer.slice(0, 200));
    const related = d.choiceIds.filter((id) => id.startsWith("qa.answered:r"));
    expect(related).toHaveLength(Math.min(2, hits.length - 1));
    expect(d.choiceIds.at(-1)).toBe("qa.answered:menu");
    if (related[0]) {
      d.choose(related[0]);
      expect(d.state).toEqual({ qa: "answered" });
      expect(d.said).toContain(hits[1]?.question);
    }
  });

  it("says honestly when nothing matches and offers the menu and the report flow", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:qa");
    expect(searchQa(lang, "xqzv wpkj")).toEqual([]);
    d.text("xqzv wpkj");
    expect(d.state).toEqual({ qa: "nomatch" });
    expect(d.said).toContain(t(lang, "menu.qa.no_match"));
    expect(d.choiceIds).toEqual(["qa.nomatch:menu", "qa.nomatch:report"]);
    d.choose("qa.nomatch:report");
    expect(d.state).toEqual({ report: "situation" });
  });
});

describe.each(LANGS)("status check (%s)", (lang) => {
  it("collects code then PIN, looks the case up without keeping the PIN, and shows status and questions", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:status");
    expect(d.state).toEqual({ status: "code" });
    d.text(" tppo 7k3m 9qx2 ");
    expect(d.state).toEqual({ status: "pin" });
    d.text("482913");
    expect(d.effects("status.lookup")).toEqual([
      { type: "status.lookup", code: "TPPO-7K3M-9QX2", pin: "482913" },
    ]);
    expect(JSON.stringify(d.persisted)).not.toContain("482913");
    d.send({ type: "status.result", result: openCase() });
    expect(d.state).toEqual({ status: "open" });
    expect(d.said).toContain(t(lang, "status.states.in_progress"));
    expect(d.said).toContain("Di kota mana kantor agennya?");
    expect(d.choiceIds).toEqual(["status.open:q1", "status.open:add", "status.open:menu"]);
  });

  it("takes a code of letters only typed by someone new at the language question, then asks the PIN", () => {
    // A new person's first message is /status; the code comes while the language is still asked.
    const d = new FlowDriver();
    d.command("status");
    d.text("REF-EKAV-FCFW");
    expect(d.state).toEqual({ status: "pin" });
    d.text("482913");
    expect(d.effects("status.lookup")).toEqual([
      { type: "status.lookup", code: "REF-EKAV-FCFW", pin: "482913" },
    ]);
  });

  it("gives one neutral message when the lookup fails and lets the user try again", () => {
    const d = FlowDriver.atMenu(lang);
    d.command("status");
    d.text("TPPO-XXXX-YYYY");
    d.text("000000");
    d.send({ type: "status.result", result: { ok: false } });
    expect(d.state).toEqual({ status: "failed" });
    expect(d.said).toContain(t(lang, "status.failed"));
    d.choose("status.failed:retry");
    expect(d.state).toEqual({ status: "code" });
  });

  it("sends the answer to an officer question with its id and marks it answered", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:status");
    d.text("TPPO-7K3M-9QX2");
    d.text("482913");
    d.send({ type: "status.result", result: openCase() });
    d.choose("status.open:q1");
    expect(d.state).toEqual({ status: "answer" });
    expect(d.said).toContain(t(lang, "status.answer.prompt", { n: 2 }));
    d.text("Di Denpasar, Jalan Contoh.");
    expect(d.effects("case.append")).toEqual([
      {
        type: "case.append",
        code: "TPPO-7K3M-9QX2",
        text: "Di Denpasar, Jalan Contoh.",
        answersQuestionId: "q-b",
      },
    ]);
    d.send({ type: "case.appended", ok: true });
    expect(d.said).toContain(t(lang, "status.appended.ok"));
    expect(d.state).toEqual({ status: "open" });
    expect(d.choiceIds).toEqual(["status.open:add", "status.open:menu"]);
  });

  it("adds information and evidence to the case and reports a failed append honestly", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:status");
    d.text("TPPO-7K3M-9QX2");
    d.text("482913");
    d.send({ type: "status.result", result: openCase() });
    d.choose("status.open:add");
    d.text("Agennya pindah kantor.");
    expect(d.effects("case.append")).toEqual([
      { type: "case.append", code: "TPPO-7K3M-9QX2", text: "Agennya pindah kantor." },
    ]);
    d.send({ type: "case.appended", ok: true });
    expect(d.state).toEqual({ status: "add" });
    d.user({ type: "media", kind: "photo", ref: "ev-9" });
    expect(d.effects("case.append")).toEqual([
      { type: "case.append", code: "TPPO-7K3M-9QX2", evidenceRefs: ["ev-9"] },
    ]);
    d.send({ type: "case.appended", ok: false });
    expect(d.said).toContain(t(lang, "status.appended.failed"));
    d.choose("status.add:back");
    expect(d.state).toEqual({ status: "open" });
    // Typing that one is done goes back to the case; it is not sent to the officers.
    d.choose("status.open:add");
    d.text(lang === "id" ? "selesai" : "that's all");
    expect(d.effects("case.append")).toEqual([]);
    expect(d.state).toEqual({ status: "open" });
  });
});
