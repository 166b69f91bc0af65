import type { Contacts, Day } from "./contacts.ts";
import { zonedParts } from "./zoned-time.ts";

/**
 * Which of `officerIds` are on duty at `now`, by the roster in the contacts' time zone.
 *
 * - Without a roster everyone is on duty.
 * - An officer listed in no roster row is always on duty, so a small team or a group chat needs
 *   no roster lines.
 * - When none of `officerIds` is on duty, all of them are returned with `fallback: true`: an
 *   urgent case must reach someone, and the caller can say so in the audit log.
 *
 * Order follows `officerIds`.
 */
export function onDuty(
  contacts: Contacts,
  officerIds: readonly string[],
  now: Date,
): { officers: string[]; fallback: boolean } {
  const on = officerIds.filter((id) => isOnDuty(contacts, id, now));
  if (on.length === 0 && officerIds.length > 0) return { officers: [...officerIds], fallback: true };
  return { officers: on, fallback: false };
}

/** Whether one officer is on duty at `now` (see {@link onDuty} for the rules). */
export function isOnDuty(contacts: Contacts, officerId: string, now: Date): boolean {
  const rows = contacts.roster?.filter((r) => r.officer === officerId) ?? [];
  if (rows.length === 0) return true;
  const { day, minute } = localTime(now, contacts.timezone);
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7] as Day;
  return rows.some((r) => {
    const from = toMinutes(r.from);
    const to = toMinutes(r.to);
    if (from < to) return r.days.includes(day) && minute >= from && minute < to;
    // Overnight: the evening part belongs to the start day, the morning part to the day after.
    return (r.days.includes(day) && minute >= from) || (r.days.includes(yesterday) && minute < to);
  });
}

const DAYS: readonly Day[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const SHORT: Record<string, Day> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

/** Weekday and minute of the day of `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): { day: Day; minute: number } {
  const parts = zonedParts(instant, timeZone);
  const day = SHORT[parts.weekday];
  if (!day) throw new Error(`unexpected weekday "${parts.weekday}" for ${timeZone}`);
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}
