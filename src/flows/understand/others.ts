import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";

/** Owners after an Indonesian relation word ("adik saya"; "sy", "gw", "aku" normalise to these). */
const OWNER_AFTER = new Set(["saya", "aku", "kami", "kita", "dia", "mereka", "beliau"]);
/** Owners before an English one ("my sister"). */
const OWNER_BEFORE = new Set(["my", "our", "his", "her", "their"]);

/** The lexicon's `others`, read once. */
let relations: Set<string> | undefined;

/**
 * Whether the text speaks of someone close to the writer ("adik sy", "anakku", "suaminya", "my sister"):
 * the person in trouble, whose place may not be the writer's. A relation word on its own is not enough:
 * "kak" and "bu" are how people address the bot ("kak, tolong saya").
 */
export function aboutOther(tokens: Token[]): boolean {
  relations ??= new Set(lexicon().others);
  const words = relations;
  return tokens.some((t, i) => {
    const relation = t.forms.find((f) => words.has(f));
    if (!relation) return false;
    // "adikku", "anaknya": the owner is glued to the word.
    if (t.forms.some((f) => f !== relation && (f === `${relation}ku` || f === `${relation}nya`))) return true;
    // In the same clause: "ibu, saya takut" addresses someone.
    const next = tokens[i + 1];
    if (next?.clause === t.clause && next.forms.some((f) => OWNER_AFTER.has(f))) return true;
    const prev = tokens[i - 1];
    return prev?.clause === t.clause && prev.forms.some((f) => OWNER_BEFORE.has(f));
  });
}
