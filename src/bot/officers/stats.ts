import type { Situation } from "../../flows/report.ts";
import { situationSchema } from "../../flows/report.ts";
import type { Urgency } from "./escalation-plan.ts";
import type { WeekCounts } from "./stats-chart.ts";
import { zonedParts } from "./zoned-time.ts";

export { statsToSvg } from "./stats-chart.ts";

/** One case as the statistics see it: no text, no codes, nothing about the reporter. */
export type StatsRow = {
  createdAt: Date;
  situation: Situation;
  urgency: Urgency;
  /** Destination or place country as typed by the reporter. */
  country?: string;
  outcome?: string;
  status: string;
};

export type Count = { key: string; count: number };

/** Anonymous aggregate counts for the task force; see {@link aggregateStats}. */
export type Stats = {
  /** Period as local dates, `to` exclusive. */
  from: string;
  to: string;
  timeZone: string;
  total: number;
  /** Every ISO week the period touches, including weeks without reports. */
  weeks: WeekCounts[];
  situation: Count[];
  urgency: Count[];
  country: Count[];
  outcome: Count[];
  status: Count[];
};

/** Countries with fewer reports than this are merged into `other`. */
export const MIN_COUNTRY_COUNT = 3;

/**
 * Counts the rows created in `[from, to)` by ISO week (in `timeZone`, default WITA), situation,
 * urgency, destination country, outcome and status.
 *
 * Countries are normalised (case, accents, Indonesian and English names) and any country with
 * fewer than {@link MIN_COUNTRY_COUNT} reports is merged into `other`: a single report from a rare
 * destination can point at one family. Fixed categories (situation, urgency, outcome, status) are
 * kept as they are; reports without a country count as `unknown`, without an outcome as `none`.
 */
export function aggregateStats(
  rows: readonly StatsRow[],
  from: Date,
  to: Date,
  timeZone = "Asia/Makassar",
): Stats {
  const inPeriod = rows.filter((r) => r.createdAt >= from && r.createdAt < to);
  const weeks = new Map<string, { week: string; critical: number; high: number; normal: number }>();
  for (const week of weeksBetween(from, to, timeZone)) {
    weeks.set(week, { week, critical: 0, high: 0, normal: 0 });
  }
  const situation = new Map<string, number>(situationSchema.options.map((s) => [s, 0]));
  const urgency = new Map<string, number>(URGENCIES.map((u) => [u, 0]));
  const country = new Map<string, number>();
  const outcome = new Map<string, number>();
  const status = new Map<string, number>();
  for (const r of inPeriod) {
    const week = isoWeek(localDate(r.createdAt, timeZone));
    const bucket = weeks.get(week) ?? { week, critical: 0, high: 0, normal: 0 };
    bucket[r.urgency]++;
    weeks.set(week, bucket);
    bump(situation, r.situation);
    bump(urgency, r.urgency);
    bump(country, normalizeCountry(r.country));
    bump(outcome, r.outcome?.trim().toLowerCase() || "none");
    bump(status, r.status);
  }
  const merged = new Map<string, number>();
  for (const [key, count] of country) {
    bump(merged, key === "unknown" || count >= MIN_COUNTRY_COUNT ? key : "other", count);
  }
  return {
    from: dateText(localDate(from, timeZone)),
    to: dateText(localDate(to, timeZone)),
    timeZone,
    total: inPeriod.length,
    weeks: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
    situation: [...situation].map(([key, count]) => ({ key, count })),
    urgency: [...urgency].map(([key, count]) => ({ key, count })),
    country: sortCounts(merged),
    outcome: sortCounts(outcome),
    status: sortCounts(status),
  };
}

/**
 * The statistics as CSV (RFC 4180: CRLF line ends, quoted fields where needed). One long table
 * `dimension,key,count`, easy to pivot in a spreadsheet. Text that a spreadsheet would run as a
 * formula (starting with = + - @) gets a leading apostrophe.
 */
export function statsToCsv(stats: Stats): string {
  const rows: (string | number)[][] = [["dimension", "key", "count"]];
  rows.push(["total", `${stats.from}/${stats.to}`, stats.total]);
  for (const w of stats.weeks) {
    rows.push(["week", w.week, w.critical + w.high + w.normal]);
    for (const u of URGENCIES) rows.push([`week_${u}`, w.week, w[u]]);
  }
  for (const dim of ["situation", "urgency", "country", "outcome", "status"] as const) {
    for (const c of stats[dim]) rows.push([dim, c.key, c.count]);
  }
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** One CSV field, quoted when it holds a comma, quote or line break. */
export function csvField(value: string | number): string {
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A country as typed ("kamboja", "Cambodia ", "KAMBOJA") → one display name, or `unknown`. */
export function normalizeCountry(input: string | undefined): string {
  const key = (input ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!key) return "unknown";
  return COUNTRY_ALIASES[key] ?? key.replace(/\b\p{L}/gu, (c) => c.toUpperCase()).slice(0, 60);
}

const URGENCIES = ["critical", "high", "normal"] as const;

const COUNTRY_NAMES: Record<string, string[]> = {
  Kamboja: ["kamboja", "cambodia", "kampuchea"],
  Myanmar: ["myanmar", "burma", "birma"],
  Laos: ["laos", "lao", "lao pdr"],
  Thailand: ["thailand", "thailan", "muangthai", "thai"],
  Malaysia: ["malaysia", "malasya", "malaysi"],
  Singapura: ["singapura", "singapore"],
  Filipina: ["filipina", "philippines", "phillipines"],
  Vietnam: ["vietnam", "viet nam"],
  Taiwan: ["taiwan"],
  "Hong Kong": ["hong kong", "hongkong"],
  Jepang: ["jepang", "japan"],
  "Korea Selatan": ["korea selatan", "south korea", "korea", "korsel"],
  "Arab Saudi": ["arab saudi", "saudi arabia", "saudi"],
  "Uni Emirat Arab": ["uni emirat arab", "uea", "uae", "united arab emirates", "dubai", "abu dhabi"],
  Qatar: ["qatar", "katar"],
  Turki: ["turki", "turkey", "turkiye"],
  Australia: ["australia"],
  Indonesia: ["indonesia", "ri"],
};
const COUNTRY_ALIASES: Record<string, string> = Object.fromEntries(
  Object.entries(COUNTRY_NAMES).flatMap(([name, aliases]) => aliases.map((a) => [a, name])),
);

const DAY_MS = 86_400_000;

/** The local calendar date of `instant` in `timeZone`, as a UTC-midnight timestamp. */
function localDate(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
}

/** `2025-W14` for a UTC-midnight date. */
function isoWeek(date: number): string {
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = date + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function weeksBetween(from: Date, to: Date, timeZone: string): string[] {
  if (!(from < to)) return [];
  const first = localDate(from, timeZone);
  const last = localDate(new Date(to.getTime() - 1), timeZone);
  const weeks: string[] = [];
  const monday = first - ((new Date(first).getUTCDay() + 6) % 7) * DAY_MS;
  for (let d = monday; d <= last && weeks.length < 1000; d += 7 * DAY_MS) weeks.push(isoWeek(d));
  return weeks;
}

function dateText(date: number): string {
  return new Date(date).toISOString().slice(0, 10);
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function sortCounts(map: Map<string, number>): Count[] {
  const last = (k: string) => (k === "other" || k === "unknown" || k === "none" ? 1 : 0);
  return [...map]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => last(a.key) - last(b.key) || b.count - a.count || a.key.localeCompare(b.key));
}
