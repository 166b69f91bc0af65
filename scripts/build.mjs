// `npm run build`: compiles src/ to dist/ as plain ES modules, one output file per source file, so
// `import.meta.url` still points next to the YAML catalogs (copied along). Packages stay external
// (node_modules is used at run time); relative `.ts` imports become `.js`. The service's entry,
// dist/main.js, is then rebuilt as one bundle with its packages (see bundleService).
import { cp, readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
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

/**
 * Packages the service bundle leaves to node_modules: ones that load files next to their own code
 * (PGlite's WebAssembly and data, Prisma's query compiler, pino's transports), native addons
 * (sharp, pg-native), `pg` (Prisma's adapter checks `instanceof pg.Pool`, so there must be one
 * copy), and what only the PDF worker or development use.
 */
const SERVICE_EXTERNAL = [
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
  "@prisma/*",
  "pg",
  "pg-native",
  "sharp",
  "pino",
  "pino/*",
  "thread-stream",
  "pdf-lib",
  "tsx",
  "tsx/*",
];

/**
 * In the bundle, each source's `import.meta.url` would name the bundle file; it is rewritten to the
 * URL of that source's own compiled file, which sits next to the files it reads (catalogs, web
 * page, PDF worker). The bundle and its chunks sit at the top of dist/, so the path is relative to
 * there.
 */
const sourceUrls = {
  name: "source-urls",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const rel = relative(SRC, args.path);
      if (rel.startsWith("..")) return undefined;
      let contents = await readFile(args.path, "utf8");
      const own = `./${rel.replace(/\.ts$/, ".js").split("\\").join("/")}`;
      contents = contents.replaceAll(
        "import.meta.url",
        `new URL(${JSON.stringify(own)}, import.meta.url).href`,
      );
      return { contents, loader: "ts" };
    });
  },
};

/**
 * dist/main.js as one bundle with its packages (chunks loaded on demand: dist/main-*.js, such as a
 * messenger's channel when it is configured). Loading one file instead of several hundred modules
 * takes about 0.3 s off each start. CommonJS packages inside an ES module need `require`, which
 * the banner provides.
 */
async function bundleService() {
  await build({
    entryPoints: [join(SRC, "main.ts")],
    outdir: OUT,
    outbase: SRC,
    bundle: true,
    splitting: true,
    chunkNames: "main-[name]-[hash]",
    external: SERVICE_EXTERNAL,
    plugins: [sourceUrls],
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    allowOverwrite: true,
    // Class and function names as in their packages: node-fetch (under grammY) accepts a signal
    // only when its constructor is named AbortSignal, which a bundle would otherwise rename.
    keepNames: true,
    logLevel: "warning",
  });
}

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
  // Files read at run time next to the code (the YAML catalogs), each YAML file with its parsed
  // copy, which a start reads instead of parsing while the YAML is unchanged (yaml-file.ts).
  const { writeParsedCopy } = await import(pathToFileURL(join(OUT, "flows/content/yaml-file.js")).href);
  for (const f of all.filter((f) => !f.endsWith(".ts"))) {
    const out = join(OUT, relative(SRC, f));
    await cp(f, out);
    if (out.endsWith(".yaml")) writeParsedCopy(out);
  }
  await bundleService();
  return Date.now() - started;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ms = await buildDist();
  console.log(`built ${OUT}/ in ${ms} ms`);
}
