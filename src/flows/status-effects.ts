import { t } from "./content/catalog.ts";
import { chosen, type Effect, reply } from "./effects.ts";
import { freeText, inbound } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { MainContext, StatusDraft } from "./main-context.ts";
import type { FlowEvent, FlowOutput } from "./message.ts";
import { text } from "./prompts.ts";
import { findCode } from "./understand/understand.ts";

/** Pure effects of the status check. The PIN goes straight into `status.lookup` and is never kept. */

function status(ctx: MainContext): StatusDraft {
  return ctx.status ?? { code: null, case: null, answering: null };
}

/** A PIN typed in the same message as its code ("REF-7K3M-9QX2 pin 483920"): six digits on their own. */
export function typedPin(event: FlowEvent): string | undefined {
  const typed = freeText(event);
  if (!typed || !findCode(typed)) return undefined;
  return /(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])/.exec(typed)?.[0];
}

/**
 * Opens the status check; a code typed at the menu is carried in, so only the PIN is asked. A PIN typed
 * with it goes straight to the lookup (and, where the channel can, that message is then withdrawn).
 */
export function startStatus(ctx: MainContext, event: FlowEvent): Effect {
  const typed = ctx.carry?.code;
  const code = typed ? normaliseCode(typed) : null;
  const pin = code ? typedPin(event) : undefined;
  return {
    patch: { status: { code, case: null, answering: null }, carry: null },
    ...(code && pin ? { outputs: [{ type: "status.lookup", code, pin }] } : {}),
  };
}

/** Codes are compared upper-case without spaces, so "tppo 7k3m 9qx2" works too. */
export function normaliseCode(raw: string): string {
  return clip(raw.toUpperCase().replace(/\s+/g, "-").replace(/-+/g, "-"), 64);
}

export function recordCode(ctx: MainContext, event: FlowEvent): Effect {
  return { patch: { status: { ...status(ctx), code: normaliseCode(freeText(event) ?? "") } } };
}

export function lookupStatus(ctx: MainContext, event: FlowEvent): Effect {
  const pin = clip(freeText(event) ?? "", 64);
  return { outputs: [{ type: "status.lookup", code: status(ctx).code ?? "", pin }] };
}

export function storeCase(ctx: MainContext, event: FlowEvent): Effect {
  if (event.type !== "status.result" || !event.result.ok) return {};
  return {
    patch: { status: { ...status(ctx), code: event.result.code, case: event.result, answering: null } },
  };
}

export function chooseQuestion(ctx: MainContext, event: FlowEvent): Effect {
  const index = Number((chosen(ctx, event) ?? "q0").slice(1));
  return { patch: { status: { ...status(ctx), answering: index } } };
}

export function appendAnswer(ctx: MainContext, event: FlowEvent): Effect {
  const s = status(ctx);
  const question = s.case?.questions[s.answering ?? -1];
  const answer = clip(freeText(event) ?? "", 4000);
  const append: FlowOutput = question
    ? { type: "case.append", code: s.code ?? "", text: answer, answersQuestionId: question.id }
    : { type: "case.append", code: s.code ?? "", text: answer };
  return { outputs: [append] };
}

export function appendInfo(ctx: MainContext, event: FlowEvent): Effect {
  const code = status(ctx).code ?? "";
  const m = inbound(event);
  if (m?.type === "media") return { outputs: [{ type: "case.append", code, evidenceRefs: [m.ref] }] };
  return { outputs: [{ type: "case.append", code, text: clip(freeText(event) ?? "", 4000) }] };
}

/** The engine's answer to `case.append`; a successful answer marks the question answered. */
export function appendResult(ctx: MainContext, event: FlowEvent): Effect {
  const ok = event.type === "case.appended" && event.ok;
  const s = status(ctx);
  let open = s.case;
  if (ok && open && s.answering !== null) {
    const answered = s.answering;
    open = {
      ...open,
      questions: open.questions.map((q, i) => (i === answered ? { ...q, answered: true } : q)),
    };
  }
  return {
    patch: { status: { ...s, case: open, answering: null } },
    outputs: [reply(text(t(ctx.lang, ok ? "status.appended.ok" : "status.appended.failed")))],
  };
}
