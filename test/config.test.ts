import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config", () => {
  it("uses the documented defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL.kind).toBe("pglite");
    expect(c.DATABASE_URL.kind === "pglite" && c.DATABASE_URL.dir.endsWith("data/db")).toBe(true);
    expect(c.PORT).toBe(8080);
    expect(c.TELEGRAM_MODE).toBe("polling");
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.WHATSAPP_API_BASE_URL).toBe("https://graph.facebook.com");
    expect(c.CONTACTS_FILE).toBe("config/contacts.example.yaml");
    expect(c.telegramEnabled).toBe(false);
    expect(c.whatsappEnabled).toBe(false);
  });

  it("turns the web chat on by default and checks its cover title, exit page and embedding origins", () => {
    const c = loadConfig({});
    expect(c.WEB_CHAT).toBe("on");
    expect(c.WEB_COVER_TITLE).toBe("Suara Aman");
    expect(c.WEB_EMBED_ORIGINS).toBeUndefined();
    const set = loadConfig({
      WEB_COVER_TITLE: "Resep Masakan",
      WEB_EMBED_ORIGINS: "https://a.example https://b.example:8443",
    });
    expect(set.WEB_COVER_TITLE).toBe("Resep Masakan");
    expect(set.WEB_EMBED_ORIGINS).toEqual(["https://a.example", "https://b.example:8443"]);
    expect(problems({ WEB_EMBED_ORIGINS: "http://a.example", WEB_CHAT: "yes" })).toEqual([
      'WEB_CHAT: expected one of on, off, got "yes"',
      'WEB_EMBED_ORIGINS: expected https:// origins separated by spaces, got "http://a.example"',
    ]);
  });

  it("limits reports to 10 a day per sender unless told otherwise, and refuses a limit that is not a positive number", () => {
    expect(loadConfig({}).LIMIT_REPORTS_PER_DAY).toBe(10);
    expect(loadConfig({ LIMIT_REPORTS_PER_DAY: "3" }).LIMIT_REPORTS_PER_DAY).toBe(3);
    expect(problems({ LIMIT_REPORTS_PER_DAY: "0" })).toHaveLength(1);
    expect(problems({ LIMIT_REPORTS_PER_DAY: "lots" })[0]).toMatch(/^LIMIT_REPORTS_PER_DAY: /);
  });

  it("reports a bad port and a bad database URL as two clear lines", () => {
    expect(problems({ PORT: "abc", DATABASE_URL: "mysql://x" })).toEqual([
      'DATABASE_URL: expected postgresql://… or pglite:<dir>, got "mysql://x"',
      'PORT: expected a port number 0–65535, got "abc"',
    ]);
  });

  it("accepts PostgreSQL and PGlite database URLs", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" }).DATABASE_URL).toEqual({
      kind: "postgres",
      url: "postgresql://u@127.0.0.1:5432/db",
    });
    expect(loadConfig({ DATABASE_URL: "pglite:/tmp/x" }).DATABASE_URL).toEqual({
      kind: "pglite",
      dir: "/tmp/x",
    });
  });

  it("hides the password of a rejected connection string", () => {
    expect(problems({ DATABASE_URL: "mysql://user:hunter2@db/x" })[0]).not.toContain("hunter2");
  });

  it("never prints a secret's value", () => {
    const lines = problems({ TELEGRAM_BOT_TOKEN: "not-a-token-SECRETVALUE", DATA_KEY: "c2hvcnQ=" });
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toContain("SECRETVALUE");
    expect(lines.join("\n")).not.toContain("c2hvcnQ=");
    expect(lines[0]).toMatch(/^TELEGRAM_BOT_TOKEN: /);
    expect(lines[1]).toMatch(/^DATA_KEY: expected 32 bytes/);
  });

  it("requires both keys in production", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "DATA_KEY: required when NODE_ENV=production",
      "PSEUDONYM_KEY: required when NODE_ENV=production",
    ]);
  });

  it("requires webhook secrets of at least 32 characters in production, naming each short one", () => {
    const keys = {
      DATA_KEY: Buffer.alloc(32, 1).toString("base64"),
      PSEUDONYM_KEY: Buffer.alloc(32, 2).toString("base64"),
    };
    const whatsapp = { WHATSAPP_ACCESS_TOKEN: "fake-token", WHATSAPP_PHONE_NUMBER_ID: "1234567890" };
    const short = {
      ...keys,
      ...whatsapp,
      NODE_ENV: "production",
      TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWX",
      TELEGRAM_WEBHOOK_SECRET: "shortsecretSHOWN",
      WHATSAPP_APP_SECRET: "0123456789abcdef",
      WHATSAPP_VERIFY_TOKEN: "verify",
      METRICS_TOKEN: "metrics-token",
    };
    const lines = problems(short);
    expect(lines).toEqual([
      "TELEGRAM_WEBHOOK_SECRET: must be at least 32 characters when NODE_ENV=production (e.g. `openssl rand -hex 32`); got 16, value not shown",
      "WHATSAPP_VERIFY_TOKEN: must be at least 32 characters when NODE_ENV=production (e.g. `openssl rand -hex 32`); got 6, value not shown",
      "WHATSAPP_APP_SECRET: must be at least 32 characters when NODE_ENV=production (e.g. `openssl rand -hex 32`); got 16, value not shown",
      "METRICS_TOKEN: must be at least 32 characters when NODE_ENV=production (e.g. `openssl rand -hex 32`); got 13, value not shown",
    ]);
    expect(lines.join("\n")).not.toContain("shortsecretSHOWN");
    const long = "a".repeat(32);
    expect(
      problems({
        ...short,
        TELEGRAM_WEBHOOK_SECRET: long,
        WHATSAPP_APP_SECRET: long,
        WHATSAPP_VERIFY_TOKEN: long,
        METRICS_TOKEN: long,
      }),
    ).toEqual([]);
    // Outside production a short secret is still fine (local tries, tests).
    expect(problems({ ...short, NODE_ENV: "development" })).toEqual([]);
  });

  it("needs a webhook secret for Telegram webhooks and defaults to webhook mode with PUBLIC_URL", () => {
    const token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(problems({ TELEGRAM_BOT_TOKEN: token, PUBLIC_URL: "https://bot.example.org" })).toEqual([
      "TELEGRAM_WEBHOOK_SECRET: required for TELEGRAM_MODE=webhook",
    ]);
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      PUBLIC_URL: "https://bot.example.org/",
      TELEGRAM_WEBHOOK_SECRET: "s3cret",
    });
    expect(c.TELEGRAM_MODE).toBe("webhook");
    expect(c.PUBLIC_URL).toBe("https://bot.example.org");
    expect(c.telegramEnabled).toBe(true);
  });

  it("names every missing WhatsApp credential when only some are set", () => {
    expect(problems({ WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_APP_SECRET: "s" })).toEqual([
      "WHATSAPP_PHONE_NUMBER_ID: required to enable WhatsApp (set all four WHATSAPP_* credentials)",
      "WHATSAPP_VERIFY_TOKEN: required to enable WhatsApp (set all four WHATSAPP_* credentials)",
    ]);
  });

  it("rejects an unknown Telegram mode with the allowed values", () => {
    expect(problems({ TELEGRAM_MODE: "push" })).toEqual([
      'TELEGRAM_MODE: expected one of webhook, polling, got "push"',
    ]);
  });
});
