import type { Actor, AnyStateMachine } from "xstate";
import { todayAtHome } from "../flows/checkin-time.ts";
import type { FlowEvent, FlowOutput, Lang } from "../flows/message.ts";
import type { ChannelState } from "../storage/conversations.ts";

/* Small pure helpers of the engine. */

/** The flow threw (the actor is in error status); the engine restarts it at the menu. */
export class FlowFailure extends Error {
  override readonly name = "FlowFailure";
}

/** Collects every emitted output of `actor` into `outputs`. */
export function attach(actor: Actor<AnyStateMachine>, outputs: FlowOutput[]): void {
  actor.on("*", (emitted) => outputs.push(emitted as FlowOutput));
  // Without an error observer XState rethrows actor errors asynchronously and would crash the process.
  actor.subscribe({ error: () => {} });
}

/** The name and message of the error that stopped `actor`, for logs (no user data). */
export function describeError(actor: Actor<AnyStateMachine>): string {
  const error = (actor.getSnapshot() as { error?: unknown }).error;
  return error instanceof Error ? `${error.name}: ${error.message}` : "unknown";
}

/** A stored language value, if it is one the bot speaks. */
export function langOf(value: string | null): Lang | undefined {
  return value === "id" || value === "en" ? value : undefined;
}

/**
 * A user message as the flow gets it: stamped with today's date in Bali (a date typed without a year is
 * read from it), and a typed number resolved to the choice it stood for.
 */
export function stampedUserEvent(
  event: Extract<FlowEvent, { type: "user.message" }>,
  state: ChannelState,
  now: Date,
): FlowEvent {
  return resolveNumbered({ ...event, today: todayAtHome(now) }, state);
}

/** A typed number ("7" or "7.") after a numbered menu picks that option. */
export function resolveNumbered(
  event: Extract<FlowEvent, { type: "user.message" }>,
  state: ChannelState,
): FlowEvent {
  if (event.message.type !== "text" || !state.numbered?.length) return event;
  const match = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(event.message.text);
  const id = match ? state.numbered[Number(match[1]) - 1] : undefined;
  return id ? { type: "user.message", message: { type: "choice", id } } : event;
}

/** Serialization failures and deadlocks (PostgreSQL codes, and the storage layer's P2034 for the same). */
const RETRYABLE_CODES = new Set(["40001", "40P01", "P2034"]);

export function isRetryable(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown; originalCode?: unknown } } | undefined;
  const codes = [e?.code, e?.cause?.code, e?.cause?.originalCode];
  if (codes.some((c) => typeof c === "string" && RETRYABLE_CODES.has(c))) return true;
  return error instanceof Error && /deadlock detected|could not serialize access/i.test(error.message);
}
