import type { Logger } from "pino";
import type { FlowEvent, FlowOutput } from "../flows/message.ts";
import type { Tx } from "../storage/database.ts";
import type {
  BuiltInOutputType,
  CaseEffects,
  EffectContext,
  EffectHandler,
  EffectHandlers,
  EffectOutput,
} from "./engine-types.ts";

/** Most answers one event may get back from its effects (a flow that keeps asking is cut off). */
const MAX_EFFECT_ANSWERS = 8;

const BUILT_IN: ReadonlySet<string> = new Set<BuiltInOutputType>([
  "reply",
  "schedule",
  "timer.cancel",
  "conversation.delete",
]);

/** The case effects registered under the output types the flows emit for them. */
export function caseEffectHandlers(cases: CaseEffects): EffectHandlers {
  return {
    "report.submitted": (tx, ctx, o) => cases.submitReport(tx, ctx, o.report),
    "status.lookup": (tx, ctx, o) => cases.lookupStatus(tx, ctx, o.code, o.pin),
    "case.append": (tx, ctx, o) => cases.appendCase(tx, ctx, o),
  };
}

/**
 * Runs the effect outputs in `outputs` in order, each once, with the handler registered for its
 * type; the event a handler answers with is passed to `send` (which may emit more outputs, handled
 * in turn). An effect without a handler is logged and skipped.
 */
export async function resolveEffects(
  tx: Tx,
  ctx: EffectContext,
  handlers: EffectHandlers,
  outputs: FlowOutput[],
  send: (event: FlowEvent) => void,
  log: Logger,
): Promise<void> {
  const handled = new Set<FlowOutput>();
  let answers = 0;
  for (;;) {
    const pending = outputs.find((o): o is EffectOutput => !BUILT_IN.has(o.type) && !handled.has(o));
    if (!pending) return;
    handled.add(pending);
    const handler = handlers[pending.type] as EffectHandler | undefined;
    if (!handler) {
      log.warn({ conversation: ctx.conversationKey, effect: pending.type }, "no handler for effect");
      continue;
    }
    const answer = await handler(tx, ctx, pending);
    if (!answer) continue;
    if (++answers > MAX_EFFECT_ANSWERS) return;
    send(answer);
  }
}
