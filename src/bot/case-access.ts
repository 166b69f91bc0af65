import type { Sealer } from "../storage/crypto.ts";
import type { EffectContext } from "./engine-types.ts";

const ACCESS_MS = 30 * 60 * 1000;

/** Conversation bookkeeping that grants a reporter access to one case after code + PIN. */
export interface CaseAccess {
  code: string;
  until: string;
}

/** Grants the conversation access to case `code` for 30 minutes from `now`, kept sealed in `state`. */
export function grantCaseAccess(
  sealer: Sealer,
  state: EffectContext["state"],
  code: string,
  now: Date,
): void {
  // Conversation bookkeeping is stored as plain JSON, so the grant is sealed: the report code
  // must not sit next to the pseudonymous key in readable form.
  (state as { caseAccess?: string }).caseAccess = sealer
    .seal(
      JSON.stringify({
        code,
        until: new Date(now.getTime() + ACCESS_MS).toISOString(),
      } satisfies CaseAccess),
    )
    .toString("base64");
}

/** The case access held in `state`, or undefined when there is none or it cannot be read; expiry is the caller's check. */
export function openCaseAccess(sealer: Sealer, state: EffectContext["state"]): CaseAccess | undefined {
  const sealed = (state as { caseAccess?: unknown }).caseAccess;
  if (typeof sealed !== "string") return undefined;
  try {
    return JSON.parse(sealer.open(Buffer.from(sealed, "base64")).toString("utf8")) as CaseAccess;
  } catch {
    return undefined;
  }
}
