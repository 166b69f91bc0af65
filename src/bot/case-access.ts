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
