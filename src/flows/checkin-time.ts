import { plain } from "./migration-words.ts";

/**
 * Time for safe-departure check-ins: the destination's IANA time zone (from the typed country, for the
 * destinations the bot knows), the schedule after departure, and "never at night" (08:00–20:00 local).
 * Pure, with `Intl` only.
 */

/** Typed country words (plain, lowercase) → IANA zone; the first match wins. */
const ZONES: [RegExp, string][] = [
  [/\b(malaysia|malaysya|malasya|kuala lumpur|johor|penang|sabah|sarawak)\b/, "Asia/Kuala_Lumpur"],
  [/\b(singapura|singapore|singapur)\b/, "Asia/Singapore"],
  [/\bbrunei\b/, "Asia/Brunei"],
  [/\b(kamboja|cambodia|kambodja|phnom penh|sihanoukville|bavet|poipet)\b/, "Asia/Phnom_Penh"],
  [/\b(myanmar|burma|birma|myawaddy|yangon)\b/, "Asia/Yangon"],
  [/\b(laos|lao)\b/, "Asia/Vientiane"],
  [/\b(thailand|tailand|bangkok|thai)\b/, "Asia/Bangkok"],
  [/\bvietnam\b/, "Asia/Ho_Chi_Minh"],
  [/\b(filipina|philippines|manila)\b/, "Asia/Manila"],
  [/\b(saudi|riyadh|jeddah|jedah|mekah|makkah|madinah)\b/, "Asia/Riyadh"],
  [/\b(uae|emirat|emirates|dubai|abu dhabi)\b/, "Asia/Dubai"],
  [/\b(qatar|doha)\b/, "Asia/Qatar"],
  [/\bkuwait\b/, "Asia/Kuwait"],
  [/\boman\b/, "Asia/Muscat"],
  [/\bbahrain\b/, "Asia/Bahrain"],
  [/\b(yordania|jordan)\b/, "Asia/Amman"],
  [/\b(turki|turkey|turkiye|istanbul)\b/, "Europe/Istanbul"],
  [/\b(hongkong|hong kong)\b/, "Asia/Hong_Kong"],
  [/\btaiwan\b/, "Asia/Taipei"],
  [/\b(jepang|japan|tokyo)\b/, "Asia/Tokyo"],
  [/\b(korea|korsel|seoul)\b/, "Asia/Seoul"],
  [/\b(china|tiongkok|cina)\b/, "Asia/Shanghai"],
  [/\b(polandia|poland)\b/, "Europe/Warsaw"],
  [/\b(selandia baru|new zealand)\b/, "Pacific/Auckland"],
  [/\baustralia\b/, "Australia/Sydney"],
  [/\b(inggris|england|uk)\b/, "Europe/London"],
  [/\b(jerman|germany)\b/, "Europe/Berlin"],
  [/\b(italia|italy)\b/, "Europe/Rome"],
  [/\b(spanyol|spain)\b/, "Europe/Madrid"],
  [/\b(amerika|usa|america)\b/, "America/New_York"],
  [/\bperu\b/, "America/Lima"],
  [/\bfiji\b/, "Pacific/Fiji"],
  [/\bsomalia\b/, "Africa/Mogadishu"],
  [/\bmaldives\b/, "Indian/Maldives"],
  [/\bmauritius\b/, "Indian/Mauritius"],
];

/** Where the bot is run from (Bali), for a destination it does not know. */
export const HOME_ZONE = "Asia/Makassar";

/** The IANA zone of a typed destination country, or {@link HOME_ZONE}. */
export function zoneOf(country: string): string {
  const p = plain(country);
  return ZONES.find(([re]) => re.test(p))?.[1] ?? HOME_ZONE;
}

/** Days after departure of the default schedule: 1, 3, 7, 14, 30, then monthly for six months. */
export const DEFAULT_DAYS = [1, 3, 7, 14, 30, 60, 90, 120, 150, 180, 210] as const;
/** A lighter schedule: a week, a month, then monthly for six months. */
export const LIGHT_DAYS = [7, 30, 60, 90, 120, 150, 180, 210] as const;

/** Local hours in which a check-in may be sent: from 08:00 to before 20:00. */
export const DAY_START = 8;
export const DAY_END = 20;
/** The local hour scheduled check-ins are asked at. */
const ASK_HOUR = 10;

/** One formatter per zone: building one costs far more than using it (every message is stamped with today). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Year, month, day, hour and minute of `at` in `zone`. */
export function localParts(
  at: Date,
  zone: string,
): { y: number; m: number; d: number; h: number; min: number } {
  const parts = formatterFor(zone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour"), min: get("minute") };
}

/** The instant of local date `y-m-d` at `hour`:00 in `zone`. */
export function zonedTime(y: number, m: number, d: number, hour: number, zone: string): Date {
  const guess = Date.UTC(y, m - 1, d, hour);
  // The zone's offset at the guess, applied twice to settle across an offset change.
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(at), zone);
    const shown = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min);
    at += guess - shown;
  }
  return new Date(at);
}

/** Whether `at` is day time (08:00–20:00) in `zone`. */
export function isDaytime(at: Date, zone: string): boolean {
  const h = localParts(at, zone).h;
  return h >= DAY_START && h < DAY_END;
}

/** `at` itself when it is day time in `zone`, else the next 08:00 there. */
export function daytimeFrom(at: Date, zone: string): Date {
  if (isDaytime(at, zone)) return at;
  const p = localParts(at, zone);
  const morning = zonedTime(p.y, p.m, p.d, DAY_START, zone);
  return morning.getTime() > at.getTime() ? morning : zonedTime(p.y, p.m, p.d + 1, DAY_START, zone);
}

/** Month names and short forms people type, Indonesian and English. */
const MONTHS: Record<string, number> = Object.fromEntries(
  [
    ["jan", "januari", "january"],
    ["feb", "peb", "februari", "pebruari", "february"],
    ["mar", "maret", "march"],
    ["apr", "april"],
    ["mei", "may"],
    ["jun", "juni", "june"],
    ["jul", "juli", "july"],
    ["agu", "agt", "ags", "agus", "agustus", "aug", "august"],
    ["sep", "sept", "september"],
    ["okt", "oct", "oktober", "october"],
    ["nov", "nop", "november", "nopember"],
    ["des", "dec", "desember", "december"],
  ].flatMap((names, i) => names.map((name) => [name, i + 1] as const)),
);

type Ymd = { y: number; m: number; d: number };

/** "besok", "lusa", "tomorrow": days after today. */
const RELATIVE: Record<string, number> = {
  "hari ini": 0,
  "hr ini": 0,
  today: 0,
  besok: 1,
  bsk: 1,
  besuk: 1,
  tomorrow: 1,
  lusa: 2,
  "day after tomorrow": 2,
};

/**
 * A departure date as typed: `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY`, `DD/MM/YY`, or with the month's
 * name (`20 des 2026`, `tgl 20 Desember 26`, `Dec 20, 2026`); undefined otherwise. With `today`
 * (`YYYY-MM-DD` in Bali, from the engine) also without a year (`20/12`, `20 des`: the next such day,
 * today included) and `besok`, `lusa`, `hari ini`, `tomorrow`.
 */
export function readDate(typed: string, today?: string): Ymd | undefined {
  const s = typed
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, "")
    .replace(/^(tgl|tg|tanggal|on)\.?\s*/, "");
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  const local = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(s);
  const named = /^(\d{1,2})\s*([a-z]+)\.?,?\s*(\d{2}|\d{4})$/.exec(s);
  const namedFirst = /^([a-z]+)\.?\s*(\d{1,2}),?\s*(\d{2}|\d{4})$/.exec(s);
  const year = (typed: string) => (typed.length === 2 ? 2000 + Number(typed) : Number(typed));
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : local
      ? [year(local[3]!), Number(local[2]), Number(local[1])]
      : named
        ? [year(named[3]!), MONTHS[named[2]!] ?? 0, Number(named[1])]
        : namedFirst
          ? [year(namedFirst[3]!), MONTHS[namedFirst[1]!] ?? 0, Number(namedFirst[2])]
          : [0, 0, 0];
  if (y) return validDate(y, m, d);
  const now = today ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(today) : null;
  return now ? withoutYear(s, { y: Number(now[1]), m: Number(now[2]), d: Number(now[3]) }) : undefined;
}

/** `20/12`, `20 des`, `dec 20`, `besok`: a date without a year, from `today`. */
function withoutYear(s: string, today: Ymd): Ymd | undefined {
  const ahead = RELATIVE[s];
  if (ahead !== undefined) {
    const at = new Date(Date.UTC(today.y, today.m - 1, today.d + ahead));
    return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate() };
  }
  const local = /^(\d{1,2})[-/.](\d{1,2})$/.exec(s);
  const named = /^(\d{1,2})\s*([a-z]+)$/.exec(s);
  const namedFirst = /^([a-z]+)\.?\s*(\d{1,2})$/.exec(s);
  const [m, d] = local
    ? [Number(local[2]), Number(local[1])]
    : named
      ? [MONTHS[named[2]!] ?? 0, Number(named[1])]
      : namedFirst
        ? [MONTHS[namedFirst[1]!] ?? 0, Number(namedFirst[2])]
        : [0, 0];
  if (!m) return undefined;
  // The next such day: this year's, or next year's once it has passed.
  const passed = m < today.m || (m === today.m && d < today.d);
  return validDate(passed ? today.y + 1 : today.y, m, d);
}

function validDate(y: number, m: number, d: number): Ymd | undefined {
  if (!y || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1) return undefined;
  return { y, m, d };
}

/** The last {@link todayAtHome}: every user message asks, and a date changes only on a whole minute. */
let lastToday: { minute: number; date: string } | undefined;

/** Today's date in Bali (`YYYY-MM-DD`), which a date typed without a year is read from. */
export function todayAtHome(at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  if (lastToday?.minute === minute) return lastToday.date;
  const p = localParts(at, HOME_ZONE);
  const date = `${p.y}-${String(p.m).padStart(2, "0")}-${String(p.d).padStart(2, "0")}`;
  lastToday = { minute, date };
  return date;
}

/**
 * The check-in times: `days` after the departure date, each at 10:00 in `zone`, as ISO instants; times
 * not after `now` are left out.
 */
export function checkinSchedule(
  departure: { y: number; m: number; d: number },
  zone: string,
  days: readonly number[],
  now: Date,
): string[] {
  return days
    .map((n) => zonedTime(departure.y, departure.m, departure.d + n, ASK_HOUR, zone))
    .filter((at) => at.getTime() > now.getTime())
    .map((at) => at.toISOString());
}

/** A date for people, `DD-MM-YYYY`, in `zone`. */
export function showDate(iso: string, zone: string): string {
  const p = localParts(new Date(iso), zone);
  return `${String(p.d).padStart(2, "0")}-${String(p.m).padStart(2, "0")}-${p.y}`;
}
