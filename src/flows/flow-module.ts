import type { MainContext } from "./main-context.ts";

/**
 * One flow of the conversation (menu, offer check, report, status, Q&A): its own states, its own
 * version, where it starts, and the part of the context it owns. The registry (`registry.ts`)
 * composes the flows into the root machine the engine runs.
 */
export interface FlowModule<States extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  /**
   * Raise it when a change to this flow can break stored conversations inside it (a state renamed or
   * removed, its context slice reshaped). Those conversations restart at {@link start} with an apology;
   * conversations in other flows continue.
   */
  version: number;
  /** The top-level states the flow adds to the root machine (built with `mainSetup.createStateConfig`). */
  states: States;
  /** How a restarted conversation enters the flow: a transition from the root (target and actions). */
  start: { target: string; actions?: readonly unknown[] };
  /** Context fields the flow owns: back to their initial values when it restarts. */
  owns: readonly (keyof MainContext)[];
  /** The flow can be paused and resumed from the menu (`context.paused.flow`). */
  pausable?: boolean;
}

/** Declares a flow; the identity function, there for the types. */
export function defineFlow<States extends Record<string, unknown>>(
  flow: FlowModule<States>,
): FlowModule<States> {
  return flow;
}
