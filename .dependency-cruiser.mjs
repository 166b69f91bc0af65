/**
 * The design's import rules ("Architecture in one picture"), checked by `npm run check`
 * (`depcruise src --config .dependency-cruiser.mjs`). Every rule is an error. The picture in
 * docs/ARCHITECTURE.md is drawn from the same graph by `npm run docs:architecture`.
 *
 * Type-only imports count (`tsPreCompilationDeps`): an import rule is about what a module knows,
 * not only about what runs.
 */

/**
 * Modules outside src/storage that import the generated Prisma client today (a known-violations
 * allowlist: each entry is a full path, to be removed once the module goes through a repository).
 * Empty when this rule was introduced: keep it that way.
 */
const KNOWN_PRISMA_CLIENT_IMPORTERS = [];

/** The only node: modules src/flows may use: reading its own catalogs and lexicon (content/catalog.ts, understand/lexicon.ts). */
const FLOWS_CORE_MODULES = ["fs", "path", "url"];

/** The only packages src/flows may use: machines, schemas, catalog parsing and Q&A search. */
const FLOWS_PACKAGES = ["xstate", "zod", "yaml", "@orama/orama", "@orama/stemmers"];

/** Database drivers and Prisma's runtime: src/storage's business alone. */
const DATABASE_PACKAGES = ["@prisma", "prisma", "pg", "@electric-sql/pglite", "pglite-prisma-adapter"];

const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const anyOf = (items) => items.map(literal).join("|");

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "flows-not-to-bot-or-storage",
      comment:
        "src/flows is pure: machines, texts and rules. It knows nothing about channels, the engine or the database (bot → flows, never flows → bot).",
      severity: "error",
      from: { path: "^src/flows/" },
      to: { path: "^src/(bot|storage)/" },
    },
    {
      name: "flows-no-io-modules",
      comment: `src/flows may use only node:${FLOWS_CORE_MODULES.join(", node:")}, to read its own content files; no network, processes, crypto or timers.`,
      severity: "error",
      from: { path: "^src/flows/" },
      to: { dependencyTypes: ["core"], pathNot: `^(node:)?(${anyOf(FLOWS_CORE_MODULES)})$` },
    },
    {
      name: "flows-only-allowed-packages",
      comment: `src/flows may import only these packages: ${FLOWS_PACKAGES.join(", ")}. A channel SDK, logger or database driver belongs in src/bot or src/storage.`,
      severity: "error",
      from: { path: "^src/flows/" },
      to: { path: "node_modules/", pathNot: `node_modules/(${anyOf(FLOWS_PACKAGES)})/` },
    },
    {
      name: "storage-not-to-bot-or-flows",
      comment:
        "src/storage exposes repositories and knows nothing of the engine, channels or machines. It imports nothing from src/flows today; if it ever needs a shape, allow a type-only import of src/flows/message.ts or report.ts here.",
      severity: "error",
      from: { path: "^src/storage/" },
      to: { path: "^src/(bot|flows)/" },
    },
    {
      name: "only-roots-import-bot",
      comment:
        "Nothing imports src/bot but src/bot itself and the composition roots (main.ts, chat.ts, admin.ts).",
      severity: "error",
      from: { pathNot: "^src/(bot/|(main|chat|admin)\\.ts$)" },
      to: { path: "^src/bot/" },
    },
    {
      name: "prisma-client-only-in-storage",
      comment: `Only src/storage imports the generated Prisma client or a database driver; everyone else calls its repository functions. Known violations (allowlisted): ${KNOWN_PRISMA_CLIENT_IMPORTERS.join(", ") || "none"}.`,
      severity: "error",
      from: {
        pathNot: ["^src/storage/", ...KNOWN_PRISMA_CLIENT_IMPORTERS.map((file) => `^${literal(file)}$`)],
      },
      to: { path: ["^src/storage/generated/", `node_modules/(${anyOf(DATABASE_PACKAGES)})/`] },
    },
    {
      name: "prisma-access-only-in-storage",
      comment:
        "The Prisma client behind a Database or a Tx (prisma-access.ts, prisma-handles.ts) is for src/storage's repositories alone; a new query goes into a repository there.",
      severity: "error",
      from: { pathNot: "^src/storage/" },
      to: { path: "^src/storage/prisma-(access|handles)\\.ts$" },
    },
    {
      name: "channels-not-to-prisma-client",
      comment:
        "Channels are thin edges (parse, verify, render, send); they reach the database only through src/storage's repositories.",
      severity: "error",
      from: { path: "^src/bot/channels/" },
      to: { path: "^src/storage/generated/" },
    },
    {
      name: "no-circular",
      comment:
        "No import cycles, type-only ones included: move the shared type or function to the module both sides depend on.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: ["node_modules", "^src/storage/generated/"] },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".mts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
    },
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
