import { type Actor, type AnyStateMachine, createActor } from "xstate";
import { t } from "../flows/content/catalog.ts";
import type { FlowEvent, FlowOutput, Lang } from "../flows/message.ts";
import type { ConversationRow } from "../storage/conversations.ts";
import { type Sealer, sealedAt } from "../storage/crypto.ts";
import { attach, langOf } from "./engine-helpers.ts";
import type { FlowDefinition } from "./engine-types.ts";

/** The key under which the flow versions a snapshot was built with are stored beside it. */
const VERSIONS_KEY = "flowVersions";

/** A restored actor; `restart` moves it to the start of its flow, whose version changed (after the apology). */
export interface Restored {
  actor: Actor<AnyStateMachine>;
  recovered: boolean;
  restart?: FlowEvent;
}

/**
 * The conversation's actor from its stored snapshot, its emitted outputs collected into `outputs`.
 * A snapshot of another flow or version, or one that cannot be read or started, is never fatal:
 * a fresh actor is started after an apology, and `recovered` is true. When the flow the snapshot is
 * in changed version, the apology is in `outputs` and `restart` is the event to send first.
 */
export function restoreActor(
  flow: FlowDefinition,
  sealer: Sealer,
  row: ConversationRow,
  outputs: FlowOutput[],
): Restored {
  if (row.snapshotSealed === null)
    return { ...freshActor(flow, undefined, outputs, false), recovered: false };
  if (row.flowId === flow.id && row.flowVersion === flow.version) {
    try {
      const { [VERSIONS_KEY]: recorded, ...stored } = sealer.openJson<Record<string, unknown>>(
        row.snapshotSealed,
        sealedAt.conversationSnapshot(row.key),
      );
      const { snapshot, restart } = flow.parts
        ? flow.parts.upgrade(stored, (recorded ?? {}) as Record<string, number>)
        : { snapshot: stored, restart: undefined };
      const actor = createActor(flow.machine, { snapshot: snapshot as never });
      attach(actor, outputs);
      actor.start();
      if (actor.getSnapshot().status === "active") {
        if (restart) outputs.push(apology(langOf(row.lang)));
        return { actor, recovered: false, ...(restart ? { restart } : {}) };
      }
      actor.stop();
    } catch {
      // fall through to recovery: an unreadable snapshot must never crash the service
    }
  }
  return { ...freshActor(flow, langOf(row.lang), outputs, true), recovered: true };
}

/** The actor's persisted snapshot, with the flow versions it was built with, ready to seal. */
export function persistedSnapshot(
  flow: FlowDefinition,
  actor: Actor<AnyStateMachine>,
): Record<string, unknown> {
  const snapshot = actor.getPersistedSnapshot() as Record<string, unknown>;
  return flow.parts ? { ...snapshot, [VERSIONS_KEY]: flow.parts.versions } : snapshot;
}

/** A new actor of `flow` in `lang`, collecting into `outputs`; with an apology first when `apologise`. */
export function freshActor(
  flow: FlowDefinition,
  lang: Lang | undefined,
  outputs: FlowOutput[],
  apologise: boolean,
): { actor: Actor<AnyStateMachine> } {
  if (apologise) outputs.push(apology(lang));
  const actor = createActor(flow.machine, { input: lang ? { lang } : {} });
  attach(actor, outputs);
  actor.start();
  return { actor };
}

function apology(lang: Lang | undefined): FlowOutput {
  return { type: "reply", message: { type: "text", text: t(lang ?? "id", "common.apology") } };
}
