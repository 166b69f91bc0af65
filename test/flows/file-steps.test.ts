import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { t } from "../../src/flows/content/catalog.ts";
import { ACCEPTS_FILES, FILE_NOT_ASKED, type Lang } from "../../src/flows/message.ts";
import { mainMachine } from "../../src/flows/registry.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

const LANGS: Lang[] = ["id", "en"];

/** Whether the driver's stored snapshot, restored as the engine does, is at a step that asks for files. */
function asksForFiles(d: FlowDriver): boolean {
  const actor = createActor(mainMachine, { snapshot: d.persisted as never });
  actor.start();
  const tagged = actor.getSnapshot().hasTag(ACCEPTS_FILES);
  actor.stop();
  return tagged;
}

describe.each(LANGS)("steps that ask for files (%s)", (lang) => {
  it("are only a report's evidence step and adding to a case", () => {
    const d = FlowDriver.atMenu(lang);
    const seen: [string, boolean][] = [[JSON.stringify(d.state), asksForFiles(d)]];
    const steps = [
      () => d.choose("menu:report"),
      () => d.choose("report.situation:recruitment_fraud"),
      () => d.text("Malaysia"),
      () => d.choose("report.city:skip"),
      () => d.choose("report.location:skip"),
      () => d.choose("report.when:week"),
      () => d.choose("report.people:one"),
      ...["minors", "danger", "confined", "passport", "forced", "departure"].map(
        (s) => () => d.choose(`report.${s}:no`),
      ),
      () => d.text("Agen minta uang dulu."),
      () => d.choose("report.narrative:done"),
      () => d.choose("report.recruiter:skip"),
      () => d.choose("report.evidence:skip"),
      () => d.choose("report.consent:no"),
    ];
    for (const step of steps) {
      step();
      seen.push([JSON.stringify(d.state), asksForFiles(d)]);
    }
    expect(seen.filter(([, tagged]) => tagged).map(([state]) => state)).toEqual(['{"report":"evidence"}']);

    const s = FlowDriver.atMenu(lang);
    s.choose("menu:status");
    s.text("REF-7K3M-9QX2");
    s.text("482913");
    s.send({
      type: "status.result",
      result: { ok: true, code: "REF-7K3M-9QX2", status: "received", questions: [] },
    });
    expect(asksForFiles(s)).toBe(false);
    s.choose("status.open:add");
    expect(s.state).toEqual({ status: "add" });
    expect(asksForFiles(s)).toBe(true);
  });

  it("explain a file sent anywhere else, where files can be sent, and stay at the step", () => {
    const d = FlowDriver.atMenu(lang);
    d.choose("menu:report");
    d.user({ type: "unsupported", kind: FILE_NOT_ASKED });
    expect(d.state).toEqual({ report: "situation" });
    expect(d.said).toContain(t(lang, "common.media_unexpected"));
    expect(d.said).toContain(t(lang, "report.situation.prompt"));
    expect(d.said).not.toContain(t(lang, "common.unsupported"));
  });
});
