import { familyCodeIn } from "./checkin-words.ts";
import { chosen, type Effect } from "./effects.ts";
import { freeText } from "./inbound.ts";
import type { MainContext } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";

/**
 * Pure effects of the family side of check-ins: a family code typed (at the menu or when asked) links
 * this conversation to a worker's check-ins; a worker lists and removes the people linked.
 */

/** The family code in typed text, when the whole message is one. */
export function typedFamilyCode(event: FlowEvent): string | undefined {
  const typed = freeText(event);
  return typed === undefined ? undefined : familyCodeIn(typed);
}

/** Asks the engine to link this conversation with the typed code (or, without one, what it is linked to). */
export function linkFamily(_ctx: MainContext, event: FlowEvent): Effect {
  const code = typedFamilyCode(event) ?? freeText(event)?.slice(0, 60);
  return { outputs: [{ type: "checkin.family", ...(code ? { code } : {}) }] };
}

export function viewFamily(): Effect {
  return { outputs: [{ type: "checkin.family" }] };
}

export function storeFamily(_ctx: MainContext, event: FlowEvent): Effect {
  if (event.type !== "checkin.family.info") return {};
  return { patch: { family: { people: event.people } } };
}

export function listPeople(): Effect {
  return { outputs: [{ type: "checkin.people" }] };
}

export function storePeople(_ctx: MainContext, event: FlowEvent): Effect {
  if (event.type !== "checkin.people.listed") return {};
  return { patch: { family: { linked: event.people } } };
}

/** The person tapped "remove" next to a linked person (`rm<n>`). */
export function removePerson(ctx: MainContext, event: FlowEvent): Effect {
  const value = chosen(ctx, event) ?? "";
  const linked = ctx.family && "linked" in ctx.family ? ctx.family.linked : [];
  const person = linked[Number(value.slice(2))];
  return { outputs: [{ type: "checkin.people", ...(person ? { remove: person.id } : {}) }] };
}
