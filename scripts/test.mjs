#!/usr/bin/env node
// `npm test`: the whole suite, then the crash soak on its own (it kills and restarts a real service
// 20 times and measures how long replies wait, so it must not share the CPU with other test files).
// Arguments are passed to vitest; with a file filter only that vitest run happens. A JSON report
// (`--outputFile.json=F`) of the soak goes to F with `.soak` before the extension.
import { spawnSync } from "node:child_process";

const SOAK = "test/bot/crash-soak.test.ts";
const args = process.argv.slice(2);
const filtered = args.some((a) => !a.startsWith("-"));

function vitest(extra) {
  const result = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...extra], {
    stdio: "inherit",
  });
  return result.status ?? 1;
}

if (filtered) process.exit(vitest(args));
const suite = vitest(["--exclude", SOAK, ...args]);
const soakArgs = args.map((a) =>
  a.startsWith("--outputFile.json=") ? a.replace(/(\.json)?$/, (ext) => `.soak${ext || ""}`) : a,
);
const soak = vitest([SOAK, "--passWithNoTests", ...soakArgs]);
process.exit(suite || soak);
