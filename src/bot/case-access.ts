import { type Sealer, sealedAt } from "../storage/crypto.ts";
import type { EffectContext } from "./engine-types.ts";

const ACCESS_MS = 30 * 60 * 1000;

/** Conversation bookkeeping that grants a reporter access to one case after code + PIN. */
export interface CaseAccess {
  code: string;
  until: string;
}

/** Grants the conversation access to case `code` for 30 minutes from `ctx.now`, kept sealed in `ctx.state`. */
export function grantCaseAccess(sealer: Sealer, ctx: EffectContext, code: string): void {
  const { state, now } = ctx;
  // Conversation bookkeeping is stored as plain JSON, so the grant is sealed: the report code
  // must not sit next to the pseudonymous key in readable form.
  (state as { caseAccess?: string }).caseAccess = sealer
    .seal(
      JSON.stringify({
        code,
        until: new Date(now.getTime() + ACCESS_MS).toISOString(),
      } satisfies CaseAccess),
      sealedAt.caseAccess(ctx.conversationKey),
    )
    .toString("base64");
}

/** The case access held in `state`, or undefined when there is none or it cannot be read; expiry is the caller's check. */
export function openCaseAccess(sealer: Sealer, ctx: EffectContext): CaseAccess | undefined {
  const sealed = (ctx.state as { caseAccess?: unknown }).caseAccess;
  if (typeof sealed !== "string") return undefined;
  try {
    return JSON.parse(
      sealer.open(Buffer.from(sealed, "base64"), sealedAt.caseAccess(ctx.conversationKey)).toString("utf8"),
    ) as CaseAccess;
  } catch {
    return undefined;
  }
}

/** Most report codes a conversation remembers as its own. */
const MAX_OWN_CASES = 20;
/** Wrong PINs a conversation may type within this window before it must wait. */
const PIN_WINDOW_MS = 60 * 60 * 1000;

/** Remembers, sealed in the conversation's state, that it filed case `code` (its lockout never applies here). */
export function rememberOwnCase(sealer: Sealer, ctx: EffectContext, code: string): void {
  const own = [...ownCases(sealer, ctx).filter((c) => c !== code), code].slice(-MAX_OWN_CASES);
  (ctx.state as { ownCases?: string }).ownCases = sealer
    .seal(JSON.stringify(own), sealedAt.ownCases(ctx.conversationKey))
    .toString("base64");
}

/** Whether this conversation filed case `code`. */
export function isOwnCase(sealer: Sealer, ctx: EffectContext, code: string): boolean {
  return ownCases(sealer, ctx).includes(code);
}

function ownCases(sealer: Sealer, ctx: EffectContext): string[] {
  const sealed = (ctx.state as { ownCases?: unknown }).ownCases;
  if (typeof sealed !== "string") return [];
  const plain = sealer.tryOpen(Buffer.from(sealed, "base64"), sealedAt.ownCases(ctx.conversationKey));
  return plain ? (JSON.parse(plain.toString("utf8")) as string[]) : [];
}

/**
 * Wrong PINs typed in this conversation within the last hour (any code). Counted per trying
 * conversation, so someone who knows a code locks only themselves out, never its owner.
 */
export function conversationPinFailures(ctx: EffectContext): number {
  const f = (ctx.state as { pinFailures?: { count: number; since: string } }).pinFailures;
  if (!f || ctx.now.getTime() - new Date(f.since).getTime() >= PIN_WINDOW_MS) return 0;
  return f.count;
}

export function countPinFailure(ctx: EffectContext): void {
  const count = conversationPinFailures(ctx);
  const state = ctx.state as { pinFailures?: { count: number; since: string } };
  state.pinFailures = {
    count: count + 1,
    since: count === 0 ? ctx.now.toISOString() : state.pinFailures!.since,
  };
}
