import { enqueueActions } from "xstate";
import { inbound, wantsLanguage, wantsMenu } from "./inbound.ts";
import type { MainContext, ReportDraft } from "./main-context.ts";
import { choicesOf, type FlowEvent, type FlowOutput, type OutboundMessage } from "./message.ts";
import { offeredValue, prompt } from "./prompts.ts";
import { matchChoice } from "./understand/choice-match.ts";
import { understand } from "./understand/understand.ts";

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

/**
 * The value of the current step's choice the user tapped or typed, or undefined. Typed text picks an
 * option by its number, an everyday yes/no/not-sure, its label or a key word of it, or a synonym
 * ({@link matchChoice}); at "what happened?" a typed story picks the kind it describes.
 */
export function chosen(context: MainContext, event: FlowEvent): string | undefined {
  const m = inbound(event);
  if (m?.type === "choice") return offeredValue(context, m.id);
  if (m?.type !== "text" || wantsMenu(event) || wantsLanguage(event)) return undefined;
  return typedChoice(context, m.text);
}

const typedCache = new Map<string, string | undefined>();

/**
 * The offered value a typed text picks at the current step. Cached by the options actually offered and the
 * text, since the guards and actions of one event ask the same.
 */
export function typedChoice(context: MainContext, text: string): string | undefined {
  const prefix = `${context.step}:`;
  const offered = prompt(context)
    .flatMap((msg) => choicesOf(msg) ?? [])
    .filter((c) => c.id.startsWith(prefix))
    .map((c) => ({ value: c.id.slice(prefix.length), label: c.label, description: c.description }));
  const key = `${offered.map((o) => `${o.value}=${o.label}`).join("|")}\u0000${text}`;
  if (typedCache.has(key)) return typedCache.get(key);
  let value = matchChoice(text, offered);
  if (value === undefined && context.step === "report.situation") {
    const situation = understand(text).situation;
    if (situation && offered.some((o) => o.value === situation)) value = situation;
  }
  if (typedCache.size > 500) typedCache.clear();
  typedCache.set(key, value);
  return value;
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
