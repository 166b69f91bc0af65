import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderFlowDiagrams } from "../../src/flows/diagram.ts";
import { mainMachine } from "../../src/flows/main-machine.ts";

describe("flow diagrams", () => {
  it("docs/flows.md matches the machine (run `npm run docs:flows` when this fails)", () => {
    const onDisk = readFileSync(new URL("../../docs/flows.md", import.meta.url), "utf8");
    expect(onDisk).toBe(renderFlowDiagrams(mainMachine));
  });

  it("draws every top-level flow with its initial step", () => {
    const md = renderFlowDiagrams(mainMachine);
    for (const flow of ["check", "report", "status", "qa"]) expect(md).toContain(`## ${flow}`);
    expect(md).toContain("[*] --> situation");
    expect(md).toContain("danger --> confined: message [choice yes]");
  });
});
