import { clip, MAX_BODY, MAX_BODY_WITH_CHOICES, MAX_DESCRIPTION, MAX_LABEL } from "./limits.ts";
import type { Choice, OutboundMessage } from "./message.ts";

/** A text reply, clipped to the channel limits as a last safety net. */
export function text(body: string, choices?: Choice[]): OutboundMessage {
  const limit = choices && choices.length > 0 ? MAX_BODY_WITH_CHOICES : MAX_BODY;
  return choices && choices.length > 0
    ? { type: "text", text: clip(body, limit), choices }
    : { type: "text", text: clip(body, limit) };
}

/** An option of `step`; its id is `<step>:<value>`. */
export function choice(step: string, value: string, label: string, description?: string): Choice {
  const c: Choice = { id: `${step}:${value}`, label: clip(label, MAX_LABEL) };
  if (description) c.description = clip(description, MAX_DESCRIPTION);
  return c;
}
