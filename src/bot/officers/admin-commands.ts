import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { appendAudit } from "../../storage/audit.ts";
import { findCaseByCode, listCaseStatsRows } from "../../storage/cases.ts";
import { type Sealer, sealedAt } from "../../storage/crypto.ts";
import type { Database } from "../../storage/database.ts";
import { listCaseEvidenceFiles } from "../../storage/evidence.ts";
import { insertInvite } from "../../storage/invites.ts";
import type { Contacts } from "./contacts.ts";
import type { Urgency } from "./escalation-plan.ts";
import { inviteHash } from "./officer-invites.ts";
import { normalizeReportCode } from "./report-code.ts";
import { aggregateStats, type Stats, type StatsRow, statsToCsv, statsToSvg } from "./stats.ts";
import { zoneOffsetMinutes } from "./zoned-time.ts";

/** A parsed `npm run admin -- …` command line. */
export type AdminCommand =
  | { type: "stats"; from: string; to: string; out: string }
  | { type: "invite"; officerId: string; hours: number }
  | { type: "evidence"; code: string; out: string }
  | { type: "rotate" };

/** Bad command-line arguments; the message says what is wrong, {@link ADMIN_USAGE} how to fix it. */
export class AdminUsageError extends Error {
  override readonly name = "AdminUsageError";
}

export const ADMIN_USAGE = `Usage: npm run admin -- <command>

  stats --from YYYY-MM-DD --to YYYY-MM-DD [--out DIR]
      Anonymous counts of reports received from..to (both days included, local time of the
      contacts file) by week, situation, urgency, destination country, outcome and status.
      Writes DIR/stats.csv and DIR/stats.svg (default DIR: ./stats).

  officers invite <officer-id> [--hours N]
      Prints a one-time invite code for an officer listed in CONTACTS_FILE (valid N hours,
      default 72). The officer sends "/daftar <code>" to the bot in a private chat; that chat then
      receives the officer's alerts and may use officer commands.

  evidence export <report-code> [--out DIR]
      Decrypts a case's evidence files into DIR (default ./evidence-<code>) for an officer.
      The export is audited. Delete the files when they are no longer needed.

  keys rotate
      Re-seals every stored secret with the first DATA_KEY, bound to its place (table, column
      and row). Run it after adding a new first key (keep the old ones listed until it is done)
      and once after upgrading from a version without bound values. Stop the service first.

The database is DATABASE_URL (an embedded database can be used by one process at a time: stop
the service first, or use PostgreSQL).`;

/** Parses the arguments after `npm run admin --`. Throws {@link AdminUsageError}. */
export function parseAdminArgs(argv: readonly string[]): AdminCommand {
  const [first, second, ...rest] = argv;
  if (first === "stats") {
    const flags = parseFlags(
      [second, ...rest].filter((a): a is string => a !== undefined),
      ["from", "to", "out"],
    );
    const from = flags.from;
    const to = flags.to;
    if (!from || !to) throw new AdminUsageError("stats needs --from and --to");
    for (const [name, value] of [
      ["--from", from],
      ["--to", to],
    ] as const) {
      if (!isDate(value)) throw new AdminUsageError(`${name}: write a date as YYYY-MM-DD (got "${value}")`);
    }
    if (to < from) throw new AdminUsageError("--to is before --from");
    return { type: "stats", from, to, out: flags.out ?? "stats" };
  }
  if (first === "officers" && second === "invite") {
    const [officerId, ...more] = rest;
    if (!officerId || officerId.startsWith("--"))
      throw new AdminUsageError("officers invite needs an officer id");
    const flags = parseFlags(more, ["hours"]);
    const hours = flags.hours === undefined ? 72 : Number(flags.hours);
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 30) {
      throw new AdminUsageError("--hours: a whole number of hours from 1 to 720");
    }
    return { type: "invite", officerId, hours };
  }
  if (first === "evidence" && second === "export") {
    const [codeInput, ...more] = rest;
    const code = codeInput ? normalizeReportCode(codeInput) : undefined;
    if (!code) throw new AdminUsageError("evidence export needs a report code like REF-7K3M-9QX2");
    const flags = parseFlags(more, ["out"]);
    return { type: "evidence", code, out: flags.out ?? `evidence-${code}` };
  }
  if (first === "keys" && second === "rotate" && rest.length === 0) return { type: "rotate" };
  throw new AdminUsageError(
    first ? `unknown command "${[first, second].filter(Boolean).join(" ")}"` : "no command",
  );
}

/**
 * Writes `stats.csv` and `stats.svg` for the reports received on local days `from`..`to`
 * (inclusive) into `outDir`. Only coarse, plain columns are read (no sealed content).
 */
export async function exportStats(
  db: Database,
  opts: { from: string; to: string; outDir: string; timeZone: string },
): Promise<{ csvPath: string; svgPath: string; stats: Stats }> {
  const from = localMidnight(opts.from, opts.timeZone, 0);
  const to = localMidnight(opts.to, opts.timeZone, 1);
  const rows = await listCaseStatsRows(db, from, to);
  const statsRows: StatsRow[] = rows.map((r) => ({
    createdAt: r.createdAt,
    situation: r.situation as StatsRow["situation"],
    urgency: r.urgency as Urgency,
    status: r.status,
    ...(r.country ? { country: COUNTRY_NAMES[r.country] ?? r.country } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
  }));
  const stats = aggregateStats(statsRows, from, to, opts.timeZone);
  const dir = resolve(opts.outDir);
  await mkdir(dir, { recursive: true });
  const csvPath = join(dir, "stats.csv");
  const svgPath = join(dir, "stats.svg");
  await writeFile(csvPath, statsToCsv(stats));
  await writeFile(svgPath, statsToSvg(stats));
  return { csvPath, svgPath, stats };
}

/**
 * Creates a one-time invite code for `officerId` (who must be in the contacts file). Only a hash
 * of the code is stored; the code itself is returned once, to be passed on to the officer.
 */
export async function createInvite(
  db: Database,
  contacts: Contacts,
  officerId: string,
  opts: { hours?: number; now?: Date } = {},
): Promise<{ code: string; expiresAt: Date }> {
  if (!contacts.officers.some((o) => o.id === officerId)) {
    const known = contacts.officers.map((o) => o.id).join(", ");
    throw new AdminUsageError(`unknown officer "${officerId}" (officers in the contacts file: ${known})`);
  }
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (opts.hours ?? 72) * 3_600_000);
  const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  const chars = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join("");
  const code = `${chars.slice(0, 5)}-${chars.slice(5)}`;
  await db.transaction(async (tx) => {
    await insertInvite(tx, { codeHash: inviteHash(code), officerId, expiresAt, createdAt: now });
    await appendAudit(tx, {
      actor: "admin",
      action: "officer.invited",
      details: { officer: officerId, expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}

/**
 * Decrypts a case's evidence into `outDir` (one file per item) and audits the export. A file whose
 * bytes do not open at its row (copied there or altered) is left out; the sealer's `onTamper` says which.
 */
export async function exportEvidence(
  db: Database,
  sealer: Sealer,
  code: string,
  outDir: string,
): Promise<string[]> {
  const report = await db.transaction((tx) => findCaseByCode(tx, code));
  if (!report) throw new AdminUsageError(`no report with code ${code}`);
  const items = await listCaseEvidenceFiles(db, report.id);
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths: string[] = [];
  for (const [i, item] of items.entries()) {
    const bytes = sealer.tryOpen(item.dataSealed, sealedAt.evidenceData(item.id));
    if (!bytes) continue;
    const path = join(dir, `${code}-${i + 1}.${EXTENSIONS[item.mime] ?? "bin"}`);
    await writeFile(path, bytes, { mode: 0o600 });
    paths.push(path);
  }
  await db.transaction((tx) =>
    appendAudit(tx, {
      actor: "admin",
      action: "evidence.exported",
      reportId: report.id,
      details: { files: paths.length },
    }),
  );
  return paths;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "application/pdf": "pdf",
};

/** Display names for the country codes stored with reports (see `normalizeCountry` in cases.ts). */
const COUNTRY_NAMES: Record<string, string> = {
  KH: "Kamboja",
  MM: "Myanmar",
  LA: "Laos",
  TH: "Thailand",
  MY: "Malaysia",
  SG: "Singapura",
  TW: "Taiwan",
  HK: "Hong Kong",
  JP: "Jepang",
  KR: "Korea Selatan",
  SA: "Arab Saudi",
  AE: "Uni Emirat Arab",
  QA: "Qatar",
  TR: "Turki",
  AU: "Australia",
  PH: "Filipina",
  VN: "Vietnam",
  CN: "Tiongkok",
  ID: "Indonesia",
};

/** The instant local midnight of `date` (+ `addDays`) starts in `timeZone`. */
function localMidnight(date: string, timeZone: string, addDays: number): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d + addDays);
  return new Date(utcMidnight - zoneOffsetMinutes(timeZone, new Date(utcMidnight)) * 60_000);
}

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function parseFlags(args: readonly string[], allowed: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !allowed.includes(m[1] as string)) throw new AdminUsageError(`unexpected argument "${arg}"`);
    const value = m[2] ?? args[++i];
    if (value === undefined || value.startsWith("--")) throw new AdminUsageError(`--${m[1]} needs a value`);
    flags[m[1] as string] = value;
  }
  return flags;
}
