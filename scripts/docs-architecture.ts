import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Redraws the import picture in docs/ARCHITECTURE.md from dependency-cruiser's graph of src/
 * (`npm run docs:architecture`): files are grouped by folder, and only the text between the two
 * markers is replaced, so the hand-written guide around it stays.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const docPath = new URL("../docs/ARCHITECTURE.md", import.meta.url);
const START = "<!-- depcruise:start -->";
const END = "<!-- depcruise:end -->";

/** The folders drawn as one box each; other files of src/ (main.ts, config.ts…) are drawn on their own. */
const GROUP =
  /^src\/(bot\/channels\/[^/]+|bot\/officers|flows\/understand|flows\/content|storage\/generated|bot|flows|storage)\//;

const LAYER_STYLES = {
  flows: "fill:#e8f5e9,stroke:#2e7d32",
  storage: "fill:#e3f2fd,stroke:#1565c0",
  channel: "fill:#fff3e0,stroke:#ef6c00",
  bot: "fill:#fce4ec,stroke:#ad1457",
  root: "fill:#f5f5f5,stroke:#616161",
} as const;

type Cruise = {
  modules: { source: string; dependencies: { resolved: string; dependencyTypes: string[] }[] }[];
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
};

const cruise = spawnSync(
  fileURLToPath(new URL("../node_modules/.bin/depcruise", import.meta.url)),
  ["src", "--config", ".dependency-cruiser.mjs", "--include-only", "^src/", "--output-type", "json"],
  { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
if (!cruise.stdout) throw new Error(`depcruise failed: ${cruise.stderr}`);
const graph = JSON.parse(cruise.stdout) as Cruise;

const doc = readFileSync(docPath, "utf8");
const start = doc.indexOf(START);
const end = doc.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/ARCHITECTURE.md needs the markers ${START} and ${END}`);
writeFileSync(docPath, `${doc.slice(0, start + START.length)}\n${mermaid(graph)}${doc.slice(end)}`);
console.log(`wrote ${docPath.pathname}`);
for (const v of graph.summary.violations) console.warn(`rule ${v.rule.name}: ${v.from} → ${v.to}`);

/** A Mermaid flowchart of imports between groups; a dashed arrow means type-only imports. */
function mermaid(graph: Cruise): string {
  const files = new Map<string, number>();
  const edges = new Map<string, boolean>();
  for (const m of graph.modules) {
    const from = groupOf(m.source);
    files.set(from, (files.get(from) ?? 0) + 1);
    for (const d of m.dependencies) {
      const to = groupOf(d.resolved);
      if (to === from) continue;
      const key = `${from}\n${to}`;
      const typeOnly = d.dependencyTypes.includes("type-only");
      edges.set(key, (edges.get(key) ?? true) && typeOnly);
    }
  }
  const lines = ["```mermaid", "flowchart LR"];
  for (const [group, count] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const label = !group.endsWith("/")
      ? group
      : group === "src/storage/generated/"
        ? `${group} (Prisma client)`
        : `${group} (${count} ${count === 1 ? "file" : "files"})`;
    lines.push(`  ${id(group)}["${label}"]:::${layerOf(group)}`);
  }
  for (const [key, typeOnly] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
    const [from, to] = key.split("\n") as [string, string];
    lines.push(`  ${id(from)} ${typeOnly ? "-.->" : "-->"} ${id(to)}`);
  }
  for (const [layer, style] of Object.entries(LAYER_STYLES)) lines.push(`  classDef ${layer} ${style}`);
  lines.push("```", "");
  return lines.join("\n");
}

function groupOf(path: string): string {
  const m = GROUP.exec(path);
  return m ? `src/${m[1]}/` : path;
}

function layerOf(group: string): keyof typeof LAYER_STYLES {
  if (group.startsWith("src/flows/")) return "flows";
  if (group.startsWith("src/storage/")) return "storage";
  if (group.startsWith("src/bot/channels/")) return "channel";
  if (group.startsWith("src/bot/")) return "bot";
  return "root";
}

function id(group: string): string {
  return group.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "");
}
