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

/** A daily local time ("08:00" in `timeZone`) as a UTC cron expression for pg-boss. */
export function dailyCronUtc(hhmm: string, timeZone: string, at: Date = new Date()): string {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  const offsetMinutes = zoneOffsetMinutes(timeZone, at);
  const total = (((h * 60 + m - offsetMinutes) % 1440) + 1440) % 1440;
  return `${total % 60} ${Math.floor(total / 60)} * * *`;
}

/** Minutes `timeZone` is ahead of UTC at `at` (WITA: 480). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const p = zonedParts(at, timeZone);
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
  );
  const utc = Math.floor(at.getTime() / 60_000) * 60_000;
  return Math.round((local - utc) / 60_000);
}
