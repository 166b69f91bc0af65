import { type Actor, type AnyStateMachine, createActor } from "xstate";
import { t } from "../flows/content/catalog.ts";
import type { FlowOutput, Lang } from "../flows/message.ts";
import type { ConversationRow } from "../storage/conversations.ts";
import type { Sealer } from "../storage/crypto.ts";
import { attach, langOf } from "./engine-helpers.ts";
import type { FlowDefinition } from "./engine-types.ts";

/**
 * The conversation's actor from its stored snapshot, its emitted outputs collected into `outputs`.
 * A snapshot of another flow or version, or one that cannot be read or started, is never fatal:
 * a fresh actor is started after an apology, and `recovered` is true.
 */
export function restoreActor(
  flow: FlowDefinition,
  sealer: Sealer,
  row: ConversationRow,
  outputs: FlowOutput[],
): { actor: Actor<AnyStateMachine>; recovered: boolean } {
  if (row.snapshotSealed === null)
    return { ...freshActor(flow, undefined, outputs, false), recovered: false };
  if (row.flowId === flow.id && row.flowVersion === flow.version) {
    try {
      const snapshot = sealer.openJson(row.snapshotSealed);
      const actor = createActor(flow.machine, { snapshot: snapshot as never });
      attach(actor, outputs);
      actor.start();
      if (actor.getSnapshot().status === "active") return { actor, recovered: false };
      actor.stop();
    } catch {
      // fall through to recovery: an unreadable snapshot must never crash the service
    }
  }
  return { ...freshActor(flow, langOf(row.lang), outputs, true), recovered: true };
}

/** A new actor of `flow` in `lang`, collecting into `outputs`; with an apology first when `apologise`. */
export function freshActor(
  flow: FlowDefinition,
  lang: Lang | undefined,
  outputs: FlowOutput[],
  apologise: boolean,
): { actor: Actor<AnyStateMachine> } {
  if (apologise) {
    outputs.push({ type: "reply", message: { type: "text", text: t(lang ?? "id", "common.apology") } });
  }
  const actor = createActor(flow.machine, { input: lang ? { lang } : {} });
  attach(actor, outputs);
  actor.start();
  return { actor };
}
