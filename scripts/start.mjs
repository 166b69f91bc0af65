// `npm start` (and `npm run admin`): runs the compiled service with node, building dist/ first when
// it is missing or older than any source file, so `npm ci && npm start` just works.
// Usage: node scripts/start.mjs [main|admin] [args…]
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

async function newestMtime(dir) {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, (await stat(join(e.parentPath, e.name))).mtimeMs);
  }
  return newest;
}

const entry = process.argv[2] === "admin" ? "admin" : "main";
if (process.argv[2] === "admin" || process.argv[2] === "main") process.argv.splice(2, 1);
const target = join("dist", `${entry}.js`);
const built = await stat(target).then(
  (s) => s.mtimeMs,
  () => 0,
);
const inputs = Math.max(await newestMtime("src"), (await stat("scripts/build.mjs")).mtimeMs);
if (built < inputs) {
  // esbuild loads only when there is something to build.
  const { buildDist } = await import("./build.mjs");
  const ms = await buildDist();
  process.stderr.write(`compiled src/ to dist/ in ${ms} ms\n`);
}
await import(pathToFileURL(target).href);
