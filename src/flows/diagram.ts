import type { AnyStateMachine, AnyStateNode } from "xstate";

/** A flow as the diagrams need it: its id, version and the top-level states it adds to the machine. */
export interface DiagramFlow {
  id: string;
  version: number;
  states: Record<string, unknown>;
}

/**
 * Renders Mermaid `stateDiagram-v2` pictures of a composed machine: one overview of the top-level
 * states (with the transitions every step shares, drawn from "any step") and one picture per flow of
 * the registry, with its version. `npm run docs:flows` writes them to docs/flows.md; a test fails
 * when that file is stale.
 */
export function renderFlowDiagrams(
  machine: AnyStateMachine,
  flows: readonly DiagramFlow[],
  title = "Conversation flows",
): string {
  const root = machine.root;
  const parts = [
    `# ${title}`,
    "",
    "Generated from the flow registry (`src/flows/registry.ts`) by `npm run docs:flows`; do not edit by hand.",
    "Each flow is its own group of states with its own version; the root composes them and holds the",
    "transitions every step shares.",
    "",
    "## Overview",
    "",
    block(root, true),
    "",
  ];
  for (const flow of flows) {
    const nodes = Object.keys(flow.states).flatMap((k) => (root.states[k] ? [root.states[k]] : []));
    const single = nodes.length === 1 && children(nodes[0]!).length > 0;
    parts.push(`## ${flow.id} (version ${flow.version})`, "");
    parts.push(single ? block(nodes[0]!, false) : group(root, nodes), "");
  }
  return parts.join("\n");
}

/** A flow made of several top-level states (the menu): those states and where they lead. */
function group(root: AnyStateNode, nodes: AnyStateNode[]): string {
  const lines = ["```mermaid", "stateDiagram-v2"];
  const initial = root.initial?.target[0];
  const first = nodes.find((n) => n === initial) ?? nodes[0];
  if (first) lines.push(`  [*] --> ${first.key}`);
  const edges = new Set<string>();
  for (const n of nodes) {
    for (const t of transitionsOf(n)) {
      for (const to of t.targets)
        edges.add(`  ${n.key} --> ${topKey(root, to)}${t.label ? `: ${t.label}` : ""}`);
    }
  }
  lines.push(...edges, "```");
  return lines.join("\n");
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states);
}

function block(node: AnyStateNode, overview: boolean): string {
  const lines = ["```mermaid", "stateDiagram-v2"];
  const initial = node.initial?.target[0];
  if (initial) lines.push(`  [*] --> ${initial.key}`);
  const edges = new Set<string>();
  const add = (from: string, to: AnyStateNode, label: string) => {
    const target = overview || to.parent === node ? topKey(node, to) : `${topKey(node.machine.root, to)}`;
    edges.add(`  ${from} --> ${target}${label ? `: ${label}` : ""}`);
  };
  if (overview) {
    for (const t of transitionsOf(node)) for (const to of t.targets) add("any_step", to, t.label);
  }
  for (const child of children(node)) {
    const nodes = overview ? [child, ...descendants(child)] : [child];
    for (const n of nodes) {
      for (const t of transitionsOf(n)) {
        for (const to of t.targets) {
          if (overview && topKey(node, to) === child.key) continue;
          add(child.key, to, overview ? "" : t.label);
        }
      }
    }
  }
  if (overview) lines.push('  state "any step" as any_step');
  lines.push(...edges, "```");
  return lines.join("\n");
}

function descendants(node: AnyStateNode): AnyStateNode[] {
  return children(node).flatMap((c) => [c, ...descendants(c)]);
}

/** The key of `to`'s ancestor (or itself) that is a direct child of `scope`. */
function topKey(scope: AnyStateNode, to: AnyStateNode): string {
  let n: AnyStateNode | undefined = to;
  while (n?.parent && n.parent !== scope) n = n.parent;
  return n?.parent === scope ? n.key : to.key;
}

type Edge = { label: string; targets: readonly AnyStateNode[] };

function transitionsOf(node: AnyStateNode): Edge[] {
  const out: Edge[] = [];
  for (const [event, list] of node.transitions) {
    for (const t of list) out.push({ label: label(event, t.guard), targets: t.target ?? [] });
  }
  for (const t of node.always ?? []) out.push({ label: label("always", t.guard), targets: t.target ?? [] });
  return out;
}

function label(event: string, guard: unknown): string {
  const name = guardName(guard);
  const short = event.replace(/^user\./, "");
  return name ? `${short} [${name}]` : short;
}

function guardName(guard: unknown): string {
  if (!guard) return "";
  if (typeof guard === "string") return guard;
  if (typeof guard === "object" && guard !== null && "type" in guard) {
    const g = guard as { type: string; params?: Record<string, unknown> };
    const value = g.params ? Object.values(g.params).join(",") : "";
    return value ? `${g.type} ${value}` : g.type;
  }
  return "combined";
}
