// `npm run build`: compiles src/ to dist/ as plain ES modules, one output file per source file, so
// `import.meta.url` still points next to the YAML catalogs (copied along). Packages stay external
// (node_modules is used at run time); relative `.ts` imports become `.js`.
import { cp, readdir, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { build } from "esbuild";

const SRC = "src";
const OUT = "dist";

async function files(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const externalize = {
  name: "externalize",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (args.path.startsWith(".")) return { path: args.path.replace(/\.ts$/, ".js"), external: true };
      return { external: true };
    });
  },
};

/** Builds dist/ from scratch; returns the milliseconds it took. */
export async function buildDist() {
  const started = Date.now();
  await rm(OUT, { recursive: true, force: true });
  const all = await files(SRC);
  const sources = all.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  await build({
    entryPoints: sources,
    outdir: OUT,
    outbase: SRC,
    bundle: true,
    plugins: [externalize],
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
  // Files read at run time next to the code (the YAML catalogs).
  for (const f of all.filter((f) => !f.endsWith(".ts"))) await cp(f, join(OUT, relative(SRC, f)));
  return Date.now() - started;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ms = await buildDist();
  console.log(`built ${OUT}/ in ${ms} ms`);
}
