import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";

/**
 * Reads and validates the contacts file (`CONTACTS_FILE`): public hotlines, agencies, officers,
 * the duty roster and the escalation policy. Invalid files throw {@link ContactsError} with one
 * readable line per problem. Problem lines name the path and the rule, never a chat id or number.
 */
export function loadContacts(path: string): Contacts {
  const ext = extname(path).toLowerCase();
  const format = ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : undefined;
  if (!format) {
    throw new ContactsError(path, [`file: use a .yaml, .yml or .json file (got "${ext || "no extension"}")`]);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ContactsError(path, [`file: cannot read (${code})`], { cause });
  }
  return parseContacts(text, format, path);
}

/** Thrown when the contacts file cannot be read or is invalid; `problems` has one line per problem. */
export class ContactsError extends Error {
  override name = "ContactsError";
  readonly problems: string[];
  constructor(source: string, problems: string[], options?: ErrorOptions) {
    super(`Invalid contacts file ${source}:\n${problems.map((p) => `  ${p}`).join("\n")}`, options);
    this.problems = problems;
  }
}

/** Parses contacts from text; `source` only names the file in the error message. */
export function parseContacts(text: string, format: "yaml" | "json", source = "(text)"): Contacts {
  let data: unknown;
  if (format === "json") {
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new ContactsError(source, [`file: not valid JSON (${firstLine(cause)})`], { cause });
    }
  } else {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      throw new ContactsError(
        source,
        doc.errors.map((e) => `file: not valid YAML (${firstLine(e)})`),
      );
    }
    data = doc.toJS();
  }
  const parsed = contactsSchema.safeParse(data);
  if (!parsed.success) {
    throw new ContactsError(
      source,
      parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new ContactsError(source, problems);
  return parsed.data;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];

const timeSchema = z
  .string({ error: 'write a time as "HH:MM" in quotes' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'write a time as "HH:MM" (00:00 to 24:00)');

const dateSchema = z
  .union([z.date(), z.string()], { error: "write a date as YYYY-MM-DD" })
  .transform((value, ctx) => {
    const iso = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    const d = new Date(`${iso}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(iso) ||
      Number.isNaN(d.getTime()) ||
      d.toISOString().slice(0, 10) !== iso
    ) {
      ctx.addIssue({ code: "custom", message: "write a date as YYYY-MM-DD" });
      return z.NEVER;
    }
    return iso;
  });

const idSchema = z
  .string({ error: "write an id as text" })
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "use 1–40 lowercase letters, digits, - or _");

export const hotlineSchema = z.strictObject({
  /** Name the bot's texts use for this number, e.g. `{hotline.police}`; see docs/SOURCES.md. */
  id: idSchema.optional(),
  name: z.string().min(1),
  /** As people dial or type it, e.g. "110", "021-129", "+62-21-29244800". */
  number: z
    .string({ error: "write the number in quotes" })
    .regex(/^\+?[0-9][0-9 -]{1,24}$/, "use digits, spaces, - and an optional leading +"),
  /** `phone` (call) or `whatsapp` (chat). */
  kind: z.enum(["phone", "whatsapp"]).default("phone"),
  /** Short words shown next to the number, e.g. "gratis, 24 jam". */
  note: z.string().max(200).optional(),
  /** Day the number was last checked; shown with it. */
  checked: dateSchema,
});
export type Hotline = z.infer<typeof hotlineSchema>;

export const agencySchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  /** Officers who receive the agency's daily digest of normal cases; default: all its officers. */
  digest: z.array(idSchema).optional(),
});
export type Agency = z.infer<typeof agencySchema>;

const telegramSchema = z
  .union([z.number(), z.string()], { error: "write a Telegram chat id as a number" })
  .transform((value, ctx) => {
    const n = typeof value === "number" ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n === 0) {
      ctx.addIssue({
        code: "custom",
        message: "a Telegram chat id is a whole number (negative for a group)",
      });
      return z.NEVER;
    }
    return n;
  });

const whatsappSchema = z
  .string({ error: 'write the WhatsApp number in quotes, e.g. "6281234567890"' })
  .transform((value, ctx) => {
    const digits = value.replace(/[\s-]/g, "").replace(/^\+/, "");
    if (!/^[1-9]\d{7,14}$/.test(digits)) {
      ctx.addIssue({
        code: "custom",
        message: 'use the international form without 0 or +, e.g. "6281234567890"',
      });
      return z.NEVER;
    }
    return digits;
  });

export const officerSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(100),
  agency: idSchema,
  /** Free text shown to other officers, e.g. "Kanit", "piket". */
  role: z.string().max(100).optional(),
  /** Telegram user id, or a group chat id (negative) where a whole unit reads the alerts. */
  telegram: telegramSchema.optional(),
  /** WhatsApp number, international digits. */
  whatsapp: whatsappSchema.optional(),
});
export type Officer = z.infer<typeof officerSchema>;

export const rosterEntrySchema = z.strictObject({
  officer: idSchema,
  /** Days the shift starts on; default every day. */
  days: z
    .array(z.enum(DAYS))
    .min(1)
    .default([...DAYS]),
  from: timeSchema,
  /** End of the shift; earlier than `from` means it ends the next day (overnight). */
  to: timeSchema,
});
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

export const escalationPolicySchema = z.strictObject({
  /** Who is told, in order: tier 0 at once, the next tier when nobody acknowledges in time. */
  tiers: z
    .array(z.array(idSchema).min(1, "a tier needs at least one officer"))
    .min(1, "add at least one tier"),
  ack_timeout_seconds: z.number().int().min(1).max(86_400),
  /** Extra runs of the whole ladder after the last tier times out; 0 = run it once. */
  repeat: z.number().int().min(0).max(10).default(0),
});
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

export const contactsSchema = z.strictObject({
  timezone: z.string().default("Asia/Makassar"),
  hotlines: z.array(hotlineSchema).min(1, "list at least the public emergency number 110"),
  agencies: z.array(agencySchema).min(1),
  officers: z.array(officerSchema).min(1),
  roster: z.array(rosterEntrySchema).optional(),
  policy: z.strictObject({
    critical: escalationPolicySchema,
    high: escalationPolicySchema,
    /** Agencies that see normal cases (and get their digest); default: those of critical tier 0. */
    normal: z.strictObject({ agencies: z.array(idSchema).min(1, "name at least one agency") }).optional(),
  }),
  /** Local time the daily digest of normal cases goes out. */
  digest_at: timeSchema.default("08:00"),
});
export type Contacts = z.infer<typeof contactsSchema>;

/**
 * Where an officer is notified: Telegram when the officer has it, else WhatsApp. Telegram wins
 * because a WhatsApp business message outside the 24-hour window needs an approved template.
 */
export function notifyAddress(
  officer: Officer,
): { channel: "telegram"; chatId: number } | { channel: "whatsapp"; number: string } {
  if (officer.telegram !== undefined) return { channel: "telegram", chatId: officer.telegram };
  return { channel: "whatsapp", number: officer.whatsapp as string };
}

/** The officer whose Telegram id or WhatsApp number this is, if any. */
export function findOfficerByAddress(
  contacts: Contacts,
  address: { channel: "telegram"; chatId: number } | { channel: "whatsapp"; number: string },
): Officer | undefined {
  return contacts.officers.find((o) =>
    address.channel === "telegram" ? o.telegram === address.chatId : o.whatsapp === address.number,
  );
}

function crossCheck(c: Contacts): string[] {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: c.timezone });
  } catch {
    problems.push(`timezone: unknown time zone "${c.timezone}" (use e.g. "Asia/Makassar")`);
  }
  const agencies = new Set<string>();
  c.agencies.forEach((a, i) => {
    if (agencies.has(a.id)) problems.push(`agencies[${i}].id: duplicate id "${a.id}"`);
    agencies.add(a.id);
  });
  const officers = new Set<string>();
  const telegramSeen = new Map<number, number>();
  const whatsappSeen = new Map<string, number>();
  c.officers.forEach((o, i) => {
    const at = `officers[${i}]`;
    if (officers.has(o.id)) problems.push(`${at}.id: duplicate id "${o.id}"`);
    officers.add(o.id);
    if (!agencies.has(o.agency)) problems.push(`${at}.agency: unknown agency "${o.agency}"`);
    if (o.telegram === undefined && o.whatsapp === undefined) {
      problems.push(`${at}: give a telegram chat id or a whatsapp number`);
    }
    if (o.telegram !== undefined) {
      const first = telegramSeen.get(o.telegram);
      if (first !== undefined) problems.push(`${at}.telegram: same chat id as officers[${first}]`);
      else telegramSeen.set(o.telegram, i);
    }
    if (o.whatsapp !== undefined) {
      const first = whatsappSeen.get(o.whatsapp);
      if (first !== undefined) problems.push(`${at}.whatsapp: same number as officers[${first}]`);
      else whatsappSeen.set(o.whatsapp, i);
    }
  });
  const known = (id: string, where: string) => {
    if (!officers.has(id)) problems.push(`${where}: unknown officer "${id}"`);
  };
  c.agencies.forEach((a, i) => {
    a.digest?.forEach((id, j) => {
      known(id, `agencies[${i}].digest[${j}]`);
    });
  });
  c.roster?.forEach((r, i) => {
    known(r.officer, `roster[${i}].officer`);
    if (r.from === r.to)
      problems.push(`roster[${i}]: from and to are equal; use "00:00" to "24:00" for all day`);
    if (r.from === "24:00") problems.push(`roster[${i}].from: a shift cannot start at 24:00`);
  });
  for (const urgency of ["critical", "high"] as const) {
    c.policy[urgency].tiers.forEach((tier, i) => {
      const seen = new Set<string>();
      tier.forEach((id, j) => {
        const where = `policy.${urgency}.tiers[${i}][${j}]`;
        known(id, where);
        if (seen.has(id)) problems.push(`${where}: "${id}" is listed twice in this tier`);
        seen.add(id);
      });
    });
  }
  c.policy.normal?.agencies.forEach((id, i) => {
    if (!agencies.has(id)) problems.push(`policy.normal.agencies[${i}]: unknown agency "${id}"`);
  });
  return problems;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "file";
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
