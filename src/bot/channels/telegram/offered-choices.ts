import { encodeCallbackData, isHashed, resolveChoiceId } from "./callback-data.ts";

/**
 * The choice ids this process has put on buttons in hashed form (see `callback-data.ts`), so a press
 * can be mapped back. The hash is one-way and the pressed message carries only the hashes, so the ids
 * have to be remembered somewhere; plain ids (every id the flows use today) need nothing. Bounded,
 * oldest forgotten first. A press this instance cannot resolve stays hashed, which the flow answers
 * like any stale button ("this menu has expired" and the current step). Ids are flow option names,
 * never user data.
 */
export class OfferedChoices {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Remembers the ids of a rendered keyboard that needed hashing. */
  remember(ids: Iterable<string>): void {
    for (const id of ids) {
      if (!isHashed(encodeCallbackData(id))) continue;
      this.ids.delete(id);
      this.ids.add(id);
      if (this.ids.size > this.capacity) {
        const oldest = this.ids.values().next().value;
        if (oldest !== undefined) this.ids.delete(oldest);
      }
    }
  }

  /** The offered id behind `id`, or `id` unchanged. */
  resolve(id: string): string {
    return isHashed(id) ? resolveChoiceId(id, this.ids) : id;
  }
}
