import { writeFileSync } from "node:fs";
import { renderFlowDiagrams } from "../src/flows/diagram.ts";
import { FLOWS, mainMachine } from "../src/flows/registry.ts";

/** Writes docs/flows.md from the machines (`npm run docs:flows`). */
const path = new URL("../docs/flows.md", import.meta.url);
writeFileSync(path, renderFlowDiagrams(mainMachine, FLOWS));
console.log(`wrote ${path.pathname}`);
