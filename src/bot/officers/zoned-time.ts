/** Calendar and clock fields of an instant in a time zone, as zero-padded strings ("04", "08"). */
export interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  /** "Mon" … "Sun". */
  weekday: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The fields of `instant` in `timeZone` (one cached formatter per zone; no dependency). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  const out: ZonedParts = { year: "", month: "", day: "", hour: "", minute: "", weekday: "" };
  for (const part of f.formatToParts(instant)) {
    if (part.type in out) out[part.type as keyof ZonedParts] = part.value;
  }
  return out;
}
