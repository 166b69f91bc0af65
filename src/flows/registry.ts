import { checkinFlow } from "./checkin-states.ts";
import type { FlowModule } from "./flow-module.ts";
import { checkFlow, qaFlow, statusFlow } from "./flow-states.ts";
import type { MainContext } from "./main-context.ts";
import { composeMachine } from "./main-machine.ts";
import { menuFlow } from "./menu-flow.ts";
import type { FlowEvent } from "./message.ts";
import { reportFlow } from "./report-flow.ts";

/**
 * The flow registry: one module per flow (menu, offer check, report, status, Q&A), each with its own
 * version, composed into the one root machine the engine runs.
 *
 * Why one root machine and not one actor per flow: the flows share a context that crosses them all
 * (the language, where the person is, a question laid over the step, a draft kept while the person
 * asks something else, what a typed message carries into the next flow), and the front door must
 * answer typed danger first in every state of every flow. Separate actors would copy that context at
 * every hand-over and repeat the front door in each. So each flow owns its states, its start and its
 * slice of the context ({@link FlowModule}), and the root holds what they share.
 *
 * Versions: the engine stores the flow versions a snapshot was built with beside it. On restore,
 * {@link upgradeSnapshot} moves a conversation that is inside a flow whose version changed to that
 * flow's start (its slice reset, after the apology `common.apology`); conversations in other flows
 * continue untouched, and only a kept draft of the changed flow is dropped. A snapshot stored
 * without versions was built with version 1 of every flow.
 */
export const FLOWS = [
  menuFlow,
  checkFlow,
  reportFlow,
  statusFlow,
  qaFlow,
  checkinFlow,
] as const satisfies readonly FlowModule[];

export type FlowId = (typeof FLOWS)[number]["id"];
export type FlowVersions = Readonly<Record<string, number>>;

/** The root's id, stored with each conversation. */
export const MAIN_FLOW_ID = "main";
/**
 * The root's version: raise it only when the shared context or the root's own transitions change in a
 * way stored snapshots cannot follow. Every conversation then restarts at the menu with an apology.
 */
export const MAIN_FLOW_VERSION = 2;

export const mainMachine = composeMachine(FLOWS);

/** Each flow's current version. */
export const flowVersions: FlowVersions = Object.fromEntries(FLOWS.map((f) => [f.id, f.version]));

/** The resting state a conversation waits in while it is moved to the start of its flow. */
const RESTING = "menu";

/** The flow whose states hold the snapshot value `value`. */
export function flowOf(value: unknown): FlowModule | undefined {
  const top =
    typeof value === "string" ? value : value && typeof value === "object" ? Object.keys(value)[0] : "";
  return FLOWS.find((f) => top !== undefined && top in f.states);
}

/** What restoring a snapshot needs: the snapshot to restore, and the event that restarts its flow, if one changed. */
export interface Upgrade {
  snapshot: unknown;
  restart?: Extract<FlowEvent, { type: "flow.restart" }>;
}

/**
 * A persisted snapshot built with the flow versions `recorded`, made fit for `current`: when the flow
 * it is in changed, it waits at rest and `restart` moves it to that flow's start; a kept draft of any
 * changed flow is dropped. Anything else is returned as it is.
 */
export function upgradeSnapshot(
  snapshot: unknown,
  recorded: FlowVersions,
  current: FlowVersions = flowVersions,
): Upgrade {
  const changed = new Set(
    FLOWS.filter((f) => (recorded[f.id] ?? 1) !== (current[f.id] ?? f.version)).map((f) => f.id),
  );
  const s = snapshot as { value?: unknown; context?: MainContext } | null;
  if (changed.size === 0 || !s?.context) return { snapshot };
  let context = s.context;
  if (context.paused && changed.has(context.paused.flow)) context = { ...context, paused: null };
  const flow = flowOf(s.value);
  if (!flow || !changed.has(flow.id)) return { snapshot: { ...s, context } };
  return {
    snapshot: { ...s, context, value: RESTING, historyValue: {} },
    restart: { type: "flow.restart", flow: flow.id },
  };
}

/**
 * The root flow as the engine runs it: the composed machine, the root's version and each flow's
 * version. `versions` overrides some flow versions (a test bumps one).
 */
export function mainFlow(versions: Partial<Record<FlowId, number>> = {}) {
  const current = { ...flowVersions, ...versions } as FlowVersions;
  return {
    id: MAIN_FLOW_ID,
    version: MAIN_FLOW_VERSION,
    machine: mainMachine,
    parts: {
      versions: current,
      upgrade: (snapshot: unknown, recorded: FlowVersions) => upgradeSnapshot(snapshot, recorded, current),
    },
  };
}
