import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  AdminUsageError,
  createInvite,
  exportStats,
  parseAdminArgs,
} from "../../../src/bot/officers/admin-commands.ts";
import { ContactsError, loadContacts } from "../../../src/bot/officers/contacts.ts";
import { pluginFactories } from "../../../src/bot/wiring.ts";
import { loadConfig } from "../../../src/config.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { CONTACTS_FIXTURE } from "./officers-harness.ts";

describe.each(databaseKinds())("admin commands (%s)", (kind) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db?.destroy();
  });

  it("writes anonymous stats as CSV and an SVG chart from seeded reports", async () => {
    db = await openTestDatabase(kind);
    const seed = [
      { at: "2026-03-02T03:00:00Z", urgency: "critical", situation: "scam_compound", country: "KH" },
      { at: "2026-03-03T03:00:00Z", urgency: "critical", situation: "scam_compound", country: "KH" },
      { at: "2026-03-04T03:00:00Z", urgency: "high", situation: "scam_compound", country: "KH" },
      { at: "2026-03-10T03:00:00Z", urgency: "normal", situation: "recruitment_fraud", country: null },
      { at: "2025-12-31T03:00:00Z", urgency: "normal", situation: "other", country: "MY" },
    ] as const;
    for (const [i, r] of seed.entries()) {
      await prismaOf(db).report.create({
        data: {
          code: `TPPO-AAAA-AAA${i + 2}`,
          pinHash: "x",
          urgency: r.urgency,
          reasons: [],
          situation: r.situation,
          country: r.country,
          contentSealed: new Uint8Array([1]),
          createdAt: new Date(r.at),
          ...(i === 0 ? { status: "closed" as const, outcome: "victim_assisted" } : {}),
        },
      });
    }
    const out = await mkdtemp(join(tmpdir(), "stats-"));
    const { csvPath, svgPath, stats } = await exportStats(db, {
      from: "2026-01-01",
      to: "2026-12-31",
      outDir: out,
      timeZone: "Asia/Makassar",
    });
    expect(stats.total).toBe(4);
    const csv = await readFile(csvPath, "utf8");
    expect(csv.split("\r\n")[0]).toBe("dimension,key,count");
    expect(csv).toContain("total,2026-01-01/2027-01-01,4");
    expect(csv).toContain("country,Kamboja,3");
    expect(csv).toContain("urgency,critical,2");
    expect(csv).toContain("outcome,victim_assisted,1");
    expect(csv).toContain("week_critical,2026-W10,2");
    expect(csv).not.toContain("TPPO-");
    const svg = await readFile(svgPath, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("2026-01-01");
  });

  it("stores only a hash of an invite code and refuses unknown officers", async () => {
    db = await openTestDatabase(kind);
    const contacts = loadContacts(CONTACTS_FIXTURE);
    const { code, expiresAt } = await createInvite(db, contacts, "off-2", { hours: 1 });
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    const rows = await prismaOf(db).officerInvite.findMany();
    expect(JSON.stringify(rows)).not.toContain(code);
    await expect(createInvite(db, contacts, "nobody")).rejects.toThrow(AdminUsageError);
  });
});

describe("admin command line", () => {
  it("parses stats, invite and evidence commands", () => {
    expect(parseAdminArgs(["stats", "--from", "2026-01-01", "--to", "2026-12-31"])).toEqual({
      type: "stats",
      from: "2026-01-01",
      to: "2026-12-31",
      out: "stats",
    });
    expect(parseAdminArgs(["stats", "--from=2026-01-01", "--to=2026-01-31", "--out", "x"])).toMatchObject({
      out: "x",
    });
    expect(parseAdminArgs(["officers", "invite", "off-1"])).toEqual({
      type: "invite",
      officerId: "off-1",
      hours: 72,
    });
    expect(parseAdminArgs(["evidence", "export", "tppo 7k3m 9qx2"])).toMatchObject({
      code: "TPPO-7K3M-9QX2",
    });
  });

  it("explains bad arguments", () => {
    const bad = [
      [],
      ["stats"],
      ["stats", "--from", "2026-13-01", "--to", "2026-12-31"],
      ["stats", "--from", "2026-02-01", "--to", "2026-01-01"],
      ["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--what", "x"],
      ["officers", "invite"],
      ["officers", "invite", "off-1", "--hours", "0"],
      ["evidence", "export", "nope"],
      ["frobnicate"],
    ];
    for (const args of bad) expect(() => parseAdminArgs(args), args.join(" ")).toThrow(AdminUsageError);
  });
});

describe("officers plugin wiring", () => {
  it("stops the start with one line per problem of the contacts file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "contacts-"));
    const file = join(dir, "contacts.yaml");
    await writeFile(
      file,
      [
        "hotlines: [{ name: Polri, number: '110', checked: 2025-04-01 }]",
        "agencies: [{ id: a, name: A }]",
        "officers: [{ id: off-1, name: X, agency: b, telegram: 1 }]",
        "policy:",
        "  critical: { tiers: [[off-9]], ack_timeout_seconds: 300 }",
        "  high: { tiers: [[off-1]], ack_timeout_seconds: 300 }",
      ].join("\n"),
    );
    const config = loadConfig({ NODE_ENV: "test", CONTACTS_FILE: file });
    let error: unknown;
    try {
      pluginFactories(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContactsError);
    const message = `${(error as Error).name}: ${(error as Error).message}`;
    expect(message).toContain('officers[0].agency: unknown agency "b"');
    expect(message).toContain('policy.critical.tiers[0][0]: unknown officer "off-9"');
  });

  it("loads the example contacts file by default", () => {
    expect(pluginFactories(loadConfig({ NODE_ENV: "test" }))).toHaveLength(1);
  });
});
