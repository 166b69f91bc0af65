import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderFlowDiagrams } from "../../src/flows/diagram.ts";
import { FLOWS, mainMachine } from "../../src/flows/registry.ts";

describe("flow diagrams", () => {
  it("docs/flows.md matches the machine (run `npm run docs:flows` when this fails)", () => {
    const onDisk = readFileSync(new URL("../../docs/flows.md", import.meta.url), "utf8");
    expect(onDisk).toBe(renderFlowDiagrams(mainMachine, FLOWS));
  });

  it("draws every flow of the registry with its version and initial step", () => {
    const md = renderFlowDiagrams(mainMachine, FLOWS);
    for (const flow of FLOWS) expect(md).toContain(`## ${flow.id} (version ${flow.version})`);
    expect(md).toContain("menu --> report: message [choice report]");
    expect(md).toContain("[*] --> situation");
    expect(md).toContain("danger --> confined: message [choice yes]");
  });
});
