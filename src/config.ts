import { dirname, resolve } from "node:path";
import { z } from "zod";

/**
 * The service configuration, read from environment variables and validated at start. A bad or
 * missing value becomes one readable line naming the variable; secret values are never echoed.
 */
export type Config = z.infer<typeof configSchema>;

/** Invalid configuration; `problems` holds one line per variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join("\n")}`);
  }
}

const SECRET_VARS = new Set([
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_WEBHOOK_SECRET",
  "WHATSAPP_ACCESS_TOKEN",
  "WHATSAPP_APP_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
  "DATA_KEY",
  "PSEUDONYM_KEY",
  "METRICS_TOKEN",
]);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v), { message: `expected ${what}` })
    .transform((v) => v.replace(/\/+$/, ""));

/** Database location, parsed from DATABASE_URL. */
export type DatabaseSetting = { kind: "pglite"; dir: string } | { kind: "postgres"; url: string };

const databaseUrl = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): DatabaseSetting => {
    const value = v || "pglite:./data/db";
    if (/^postgres(ql)?:\/\/\S+$/i.test(value)) return { kind: "postgres", url: value };
    const pglite = /^pglite:(.+)$/i.exec(value);
    if (pglite?.[1]?.trim()) return { kind: "pglite", dir: resolve(pglite[1].trim()) };
    ctx.addIssue({
      code: "custom",
      message: `expected postgresql://… or pglite:<dir>, got "${maskUrl(value)}"`,
    });
    return z.NEVER;
  });

const key32 = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const keys = v.split(",").map((part) => Buffer.from(part.trim(), "base64"));
    if (keys.some((k) => k.length !== 32)) {
      ctx.addIssue({
        code: "custom",
        message: "expected 32 bytes in base64 (e.g. from `openssl rand -base64 32`); value not shown",
      });
      return z.NEVER;
    }
    return keys;
  });

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < 1) {
        ctx.addIssue({ code: "custom", message: `expected a positive whole number, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    });

/** Shortest webhook secret accepted in production: long enough that it cannot be guessed. */
export const MIN_SECRET_LENGTH = 32;
/** Secrets that authenticate requests to the public port, checked against {@link MIN_SECRET_LENGTH}. */
const PRODUCTION_LONG_SECRETS = [
  "TELEGRAM_WEBHOOK_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
  "WHATSAPP_APP_SECRET",
  "METRICS_TOKEN",
] as const;

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATABASE_URL: databaseUrl,
    PORT: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return 8080;
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 0 || n > 65535) {
          ctx.addIssue({ code: "custom", message: `expected a port number 0–65535, got "${v}"` });
          return z.NEVER;
        }
        return n;
      }),
    PUBLIC_URL: httpUrl("an https:// URL, e.g. https://bot.example.org").optional(),
    TELEGRAM_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v), {
      message: "expected a token from BotFather like 123456:ABC…; value not shown",
    }),
    TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
      message: "expected 1–256 characters A–Z, a–z, 0–9, _ or -; value not shown",
    }),
    TELEGRAM_MODE: z.enum(["webhook", "polling"]).optional(),
    TELEGRAM_API_ROOT: httpUrl("an http(s) URL").default("https://api.telegram.org"),
    WHATSAPP_ACCESS_TOKEN: optionalText,
    WHATSAPP_PHONE_NUMBER_ID: optionalText.refine((v) => v === undefined || /^\d{5,20}$/.test(v), {
      message: "expected the numeric phone number id from Meta's app dashboard",
    }),
    WHATSAPP_APP_SECRET: optionalText,
    WHATSAPP_VERIFY_TOKEN: optionalText,
    WHATSAPP_API_BASE_URL: httpUrl("an http(s) URL").default("https://graph.facebook.com"),
    WHATSAPP_GRAPH_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, "expected a Graph API version like v23.0")
      .default("v23.0"),
    WHATSAPP_TEMPLATE_FOLLOWUP: optionalText,
    /** Bearer token for GET /metrics; without it production does not serve metrics. */
    METRICS_TOKEN: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9._~+/-]+=*$/.test(v), {
      message: "expected letters, digits and . _ ~ + / - (e.g. `openssl rand -hex 32`); value not shown",
    }),
    /** Approved template asking "are you OK?" for a check-in outside the 24-hour window. */
    WHATSAPP_TEMPLATE_CHECKIN: optionalText,
    DATA_KEY: key32,
    PSEUDONYM_KEY: key32,
    CONTACTS_FILE: z.string().trim().default("config/contacts.example.yaml"),
    /** Idle conversations (and their reply addresses) are purged after this many hours. */
    CONVERSATION_TTL_HOURS: positiveInt(24 * 30),
    /** Closed cases lose their personal details (content, evidence) after this many days. */
    CLOSED_CASE_RETENTION_DAYS: positiveInt(365),
    /** The anonymous web chat at `/`. */
    WEB_CHAT: z.enum(["on", "off"]).default("on"),
    /** The page title a browser tab and its history show; a neutral one hides what the page is. */
    WEB_COVER_TITLE: z.string().trim().min(1).max(60).default("Suara Aman"),
    /** Where the quick-exit button goes. */
    WEB_EXIT_URL: httpUrl("an http(s) URL").default("https://www.google.com"),
    /** Origins allowed to show the chat in a frame (space-separated https origins); unset: nobody. */
    WEB_EMBED_ORIGINS: optionalText.transform((v, ctx) => {
      if (v === undefined) return undefined;
      const origins = v.split(/\s+/);
      if (origins.some((o) => !/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(o))) {
        ctx.addIssue({
          code: "custom",
          message: `expected https:// origins separated by spaces, got "${v}"`,
        });
        return z.NEVER;
      }
      return origins;
    }),
    /** Per-sender limits (by pseudonym): messages a minute, uploaded MB a day, non-critical reports a day. */
    LIMIT_MESSAGES_PER_MINUTE: positiveInt(30),
    LIMIT_UPLOAD_MB_PER_DAY: positiveInt(50),
    LIMIT_REPORTS_PER_DAY: positiveInt(10),
    /** A sender's non-critical reports within this many minutes share one escalation. */
    LIMIT_REPORT_BURST_MINUTES: positiveInt(60),
  })
  .superRefine((c, ctx) => {
    const problem = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    if (c.NODE_ENV === "production") {
      if (!c.DATA_KEY) problem("DATA_KEY", "required when NODE_ENV=production");
      if (!c.PSEUDONYM_KEY) problem("PSEUDONYM_KEY", "required when NODE_ENV=production");
      for (const name of PRODUCTION_LONG_SECRETS) {
        const value = c[name];
        if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
          problem(
            name,
            `must be at least ${MIN_SECRET_LENGTH} characters when NODE_ENV=production (e.g. \`openssl rand -hex 32\`); got ${value.length}, value not shown`,
          );
        }
      }
    }
    if (c.PUBLIC_URL && !c.PUBLIC_URL.startsWith("https://") && c.NODE_ENV === "production") {
      problem("PUBLIC_URL", "must be https:// in production (Telegram and Meta require it)");
    }
    const telegramMode = c.TELEGRAM_MODE ?? (c.PUBLIC_URL ? "webhook" : "polling");
    if (c.TELEGRAM_BOT_TOKEN && telegramMode === "webhook" && !c.TELEGRAM_WEBHOOK_SECRET) {
      problem("TELEGRAM_WEBHOOK_SECRET", "required for TELEGRAM_MODE=webhook");
    }
    if (!c.TELEGRAM_BOT_TOKEN && c.TELEGRAM_WEBHOOK_SECRET) {
      problem("TELEGRAM_BOT_TOKEN", "required when TELEGRAM_WEBHOOK_SECRET is set");
    }
    const wa = {
      WHATSAPP_ACCESS_TOKEN: c.WHATSAPP_ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: c.WHATSAPP_PHONE_NUMBER_ID,
      WHATSAPP_APP_SECRET: c.WHATSAPP_APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: c.WHATSAPP_VERIFY_TOKEN,
    };
    const set = Object.entries(wa).filter(([, v]) => v);
    if (set.length > 0 && set.length < 4) {
      for (const [name, value] of Object.entries(wa)) {
        if (!value) problem(name, "required to enable WhatsApp (set all four WHATSAPP_* credentials)");
      }
    }
  })
  .transform((c) => ({
    ...c,
    TELEGRAM_MODE: c.TELEGRAM_MODE ?? (c.PUBLIC_URL ? ("webhook" as const) : ("polling" as const)),
    /** Folder for generated development keys and other local state. */
    DATA_DIR: c.DATABASE_URL.kind === "pglite" ? dirname(c.DATABASE_URL.dir) : resolve("data"),
    telegramEnabled: Boolean(c.TELEGRAM_BOT_TOKEN),
    whatsappEnabled: Boolean(
      c.WHATSAPP_ACCESS_TOKEN &&
        c.WHATSAPP_PHONE_NUMBER_ID &&
        c.WHATSAPP_APP_SECRET &&
        c.WHATSAPP_VERIFY_TOKEN,
    ),
  }));

/** Validates `env`; throws {@link ConfigError} with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "config");
    let message = issue.message;
    if (issue.code === "invalid_value" && "values" in issue) {
      const got = SECRET_VARS.has(name) ? "" : `, got "${String(env[name])}"`;
      message = `expected one of ${issue.values.map(String).join(", ")}${got}`;
    } else if (issue.code === "invalid_type" || issue.code === "too_small") {
      message = SECRET_VARS.has(name) ? message : `${message}, got "${String(env[name])}"`;
    }
    return `${name}: ${message}`;
  });
  throw new ConfigError([...new Set(lines)]);
}

/** Hides a password in a connection string. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@");
}
