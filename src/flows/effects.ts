import { enqueueActions } from "xstate";
import { inbound } from "./inbound.ts";
import type { MainContext, ReportDraft } from "./main-context.ts";
import type { FlowEvent, FlowOutput, OutboundMessage } from "./message.ts";
import { offeredValue, prompt } from "./prompts.ts";

/**
 * What an action does, as data: a context patch and the outputs to emit, in order. Actions are
 * pure functions to an Effect, wrapped by {@link fx}, so they can be read (and tested) without XState.
 */
export type Effect = { patch?: Partial<MainContext>; outputs?: FlowOutput[] };

/** Turns a pure effect function into an XState action for the main machine's `setup`. */
export function fx<P extends Record<string, unknown> | undefined = undefined>(
  f: (context: MainContext, event: FlowEvent, params: P) => Effect,
) {
  return enqueueActions<MainContext, FlowEvent, P, FlowEvent, never, never, never, never, FlowOutput>(
    ({ context, event, enqueue }, params) => {
      const effect = f(context, event, params);
      if (effect.patch) enqueue.assign(effect.patch);
      for (const o of effect.outputs ?? []) enqueue.emit(o);
    },
  );
}

/** The value of the current step's choice the user tapped, or undefined. */
export function chosen(context: MainContext, event: FlowEvent): string | undefined {
  const m = inbound(event);
  return m?.type === "choice" ? offeredValue(context, m.id) : undefined;
}

export function reply(message: OutboundMessage): FlowOutput {
  return { type: "reply", message };
}

/** The prompt of the step in `context`, as reply outputs. */
export function promptOutputs(context: MainContext): FlowOutput[] {
  return prompt(context).map(reply);
}

export function blankDraft(): ReportDraft {
  return { narrative: "", evidenceRefs: [] };
}
