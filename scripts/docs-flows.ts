import { writeFileSync } from "node:fs";
import { renderFlowDiagrams } from "../src/flows/diagram.ts";
import { mainMachine } from "../src/flows/main-machine.ts";

/** Writes docs/flows.md from the machines (`npm run docs:flows`). */
const path = new URL("../docs/flows.md", import.meta.url);
writeFileSync(path, renderFlowDiagrams(mainMachine));
console.log(`wrote ${path.pathname}`);
