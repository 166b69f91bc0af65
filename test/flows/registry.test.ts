import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import type { MainContext } from "../../src/flows/main-context.ts";
import type { FlowOutput } from "../../src/flows/message.ts";
import { flowOf, flowVersions, mainMachine, upgradeSnapshot } from "../../src/flows/registry.ts";
import { FlowDriver, replies } from "../helpers/flow-driver.ts";

type Persisted = { value: unknown; context: MainContext };

/** Restores `snapshot`, sends `events`, and returns the persisted result and the outputs. */
function run(snapshot: unknown, ...events: Parameters<typeof mainMachine.transition>[1][]) {
  const actor = createActor(mainMachine, { snapshot: snapshot as never });
  const outputs: FlowOutput[] = [];
  actor.on("*", (e) => outputs.push(e as FlowOutput));
  actor.start();
  for (const e of events) actor.send(e);
  const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as Persisted;
  actor.stop();
  return { persisted, outputs };
}

function inReport(): FlowDriver {
  const d = FlowDriver.atMenu("en");
  d.choose("menu:report");
  d.choose("report.situation:recruitment_fraud");
  return d;
}

describe("flow registry", () => {
  it("knows which flow a snapshot is in", () => {
    expect(flowOf("language")?.id).toBe("menu");
    expect(flowOf({ report: "country" })?.id).toBe("report");
    expect(flowOf({ qa: "ask" })?.id).toBe("qa");
  });

  it("leaves a snapshot alone when its versions are current, or when a flow it is not in changed", () => {
    const d = inReport();
    expect(upgradeSnapshot(d.persisted, flowVersions)).toEqual({ snapshot: d.persisted });
    // Stored before per-flow versions: version 1 of every flow.
    expect(upgradeSnapshot(d.persisted, {})).toEqual({ snapshot: d.persisted });
    const checkBumped = { ...flowVersions, check: flowVersions.check! + 1 };
    expect(upgradeSnapshot(d.persisted, flowVersions, checkBumped)).toEqual({ snapshot: d.persisted });
  });

  it("moves a conversation in a changed flow to that flow's start with its slice reset", () => {
    const d = inReport();
    const bumped = { ...flowVersions, report: flowVersions.report! + 1 };
    const up = upgradeSnapshot(d.persisted, flowVersions, bumped);
    expect(up.restart).toEqual({ type: "flow.restart", flow: "report" });
    const { persisted, outputs } = run(up.snapshot, up.restart!);
    expect(persisted.value).toEqual({ report: "situation" });
    expect(persisted.context.report).toEqual({ narrative: "", evidenceRefs: [] });
    expect(persisted.context.lang).toBe("en");
    expect(replies(outputs).length).toBeGreaterThan(0);
  });

  it("still answers typed danger first right after a restart", () => {
    const d = inReport();
    const up = upgradeSnapshot(d.persisted, flowVersions, { ...flowVersions, report: 9 });
    const danger = {
      type: "user.message" as const,
      message: { type: "text" as const, text: "tolong saya disekap" },
    };
    const { outputs } = run(up.snapshot, up.restart!, danger);
    expect(replies(outputs).some((m) => m.type === "text" && m.text.includes("110"))).toBe(true);
  });

  it("drops a kept draft of a changed flow but keeps the conversation where it is", () => {
    const d = FlowDriver.atMenu("en");
    d.choose("menu:qa");
    const kept = d.persisted as Persisted;
    const paused = {
      flow: "report" as const,
      step: "report.city",
      report: null,
      editing: false,
      check: null,
    };
    const snapshot = { ...kept, context: { ...kept.context, paused } };
    const up = upgradeSnapshot(snapshot, flowVersions, { ...flowVersions, report: 9 });
    expect(up.restart).toBeUndefined();
    expect(up.snapshot).toEqual({ ...kept, context: { ...kept.context, paused: null } });
    expect(upgradeSnapshot(snapshot, flowVersions, { ...flowVersions, check: 9 }).snapshot).toEqual(snapshot);
  });
});
