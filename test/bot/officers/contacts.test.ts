import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Contacts,
  ContactsError,
  findOfficerByAddress,
  loadContacts,
  notifyAddress,
  parseContacts,
} from "../../../src/bot/officers/contacts.ts";

const root = join(import.meta.dirname, "../../..");
const fixtures = join(root, "test/fixtures/contacts");
const small = (): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, "small.json"), "utf8"));

/** The problems `data` (as JSON) is rejected with. */
function problemsOf(data: unknown): string[] {
  try {
    parseContacts(JSON.stringify(data), "json");
  } catch (error) {
    expect(error).toBeInstanceOf(ContactsError);
    return (error as ContactsError).problems;
  }
  throw new Error("expected the contacts to be rejected");
}

function problemsError(run: () => unknown): ContactsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContactsError) return error;
    throw error;
  }
  throw new Error("expected a ContactsError");
}

// biome-ignore lint/suspicious/noExplicitAny: the tests break raw JSON on purpose, in any shape
function edit(change: (c: any) => void): unknown {
  const data = small();
  change(data);
  return data;
}

describe("loadContacts", () => {
  it("loads the shipped example with its real public hotlines and fake officers", () => {
    const c = loadContacts(join(root, "config/contacts.example.yaml"));
    expect(c.timezone).toBe("Asia/Makassar");
    const numbers = c.hotlines.map((h) => h.number);
    for (const n of [
      "110",
      "112",
      "129",
      "021-129",
      "08111-129-129",
      "0800-1000",
      "+62-21-29244800",
      "0811-8080-141",
    ]) {
      expect(numbers).toContain(n);
    }
    expect(c.hotlines.every((h) => /^\d{4}-\d{2}-\d{2}$/.test(h.checked))).toBe(true);
    expect(c.agencies.map((a) => a.name).join("|")).toContain("Subdit IV Renakta");
    expect(
      c.officers.every((o) => o.name.startsWith("Petugas Contoh") || o.name.startsWith("Grup Contoh")),
    ).toBe(true);
    expect(c.policy.critical.ack_timeout_seconds).toBe(300);
    expect(c.policy.normal?.agencies).toEqual(["polda-bali-renakta", "bp3mi-bali", "uptd-ppa-denpasar"]);
  });

  it("reads the same contacts from YAML and JSON", () => {
    const fromYaml = loadContacts(join(fixtures, "small.yaml"));
    const fromJson = loadContacts(join(fixtures, "small.json"));
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml.hotlines[0]?.checked).toBe("2025-04-01");
    expect(fromYaml.officers[3]?.telegram).toBe(-100900000001);
  });

  it("fills defaults: repeat 0, every day, digest at 08:00, phone hotlines", () => {
    const c = parseContacts(
      JSON.stringify(
        edit((d) => {
          delete d.policy.high.repeat;
          delete d.roster[0].days;
        }),
      ),
      "json",
    );
    expect(c.policy.high.repeat).toBe(0);
    expect(c.roster?.[0]?.days).toHaveLength(7);
    expect(c.digest_at).toBe("08:00");
    expect(c.hotlines[0]?.kind).toBe("phone");
  });

  it("accepts a YAML 1.1 timestamp (Date) for checked", () => {
    const text = readFileSync(join(fixtures, "small.yaml"), "utf8").replace("%YAML", "");
    const c = parseContacts(`%YAML 1.1\n---\n${text}`, "yaml");
    expect(c.hotlines[0]?.checked).toBe("2025-04-01");
  });

  it("reports a missing file and an unsupported extension as one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "contacts-"));
    expect(() => loadContacts(join(dir, "nope.yaml"))).toThrow(/file: cannot read \(ENOENT\)/);
    writeFileSync(join(dir, "c.txt"), "x");
    expect(() => loadContacts(join(dir, "c.txt"))).toThrow(/use a \.yaml, \.yml or \.json file/);
  });

  it("names the error ContactsError and lists every problem on its own line", () => {
    const error = problemsError(() => loadContacts(join(fixtures, "missing.yaml")));
    expect(error.name).toBe("ContactsError");
    expect(error.message.split("\n")).toEqual([
      `Invalid contacts file ${join(fixtures, "missing.yaml")}:`,
      "  file: cannot read (ENOENT)",
    ]);
  });
});

describe("parseContacts", () => {
  it("reports broken YAML with its line", () => {
    expect(() => parseContacts("officers: [\n", "yaml")).toThrow(/file: not valid YAML/);
  });

  it("rejects an officer of an unknown agency", () => {
    expect(problemsOf(edit((d) => (d.officers[2].agency = "x")))).toEqual([
      'officers[2].agency: unknown agency "x"',
    ]);
  });

  it("rejects duplicate officer and agency ids", () => {
    const problems = problemsOf(
      edit((d) => {
        d.officers[1].id = "off-1";
        d.agencies[1].id = "polda-bali-renakta";
      }),
    );
    expect(problems).toContain('officers[1].id: duplicate id "off-1"');
    expect(problems).toContain('agencies[1].id: duplicate id "polda-bali-renakta"');
  });

  it("rejects roster and policy entries that name unknown officers", () => {
    const problems = problemsOf(
      edit((d) => {
        d.roster[1].officer = "off-9";
        d.policy.critical.tiers[1][1] = "off-8";
      }),
    );
    expect(problems).toEqual([
      'roster[1].officer: unknown officer "off-9"',
      'policy.critical.tiers[1][1]: unknown officer "off-8"',
    ]);
  });

  it("rejects an unknown or empty agency list for normal cases", () => {
    expect(problemsOf(edit((d) => (d.policy.normal = { agencies: ["bp3mi-bali", "x"] })))).toEqual([
      'policy.normal.agencies[1]: unknown agency "x"',
    ]);
    expect(problemsOf(edit((d) => (d.policy.normal = { agencies: [] })))).toEqual([
      "policy.normal.agencies: name at least one agency",
    ]);
  });

  it("requires a telegram id or whatsapp number and allows both", () => {
    expect(problemsOf(edit((d) => delete d.officers[0].telegram))).toEqual([
      "officers[0]: give a telegram chat id or a whatsapp number",
    ]);
    const both = parseContacts(
      JSON.stringify(edit((d) => (d.officers[0].whatsapp = "+62 000-0000-0099"))),
      "json",
    );
    expect(both.officers[0]?.whatsapp).toBe("6200000000099");
    expect(notifyAddress(both.officers[0] as Contacts["officers"][number])).toEqual({
      channel: "telegram",
      chatId: 900000001,
    });
  });

  it("asks for WhatsApp numbers in quotes and in international form, without echoing them", () => {
    const problems = problemsOf(
      edit((d) => {
        d.officers[2].whatsapp = 620000000091;
        d.officers[1].whatsapp = "08123456789";
      }),
    );
    expect(problems).toEqual([
      'officers[1].whatsapp: use the international form without 0 or +, e.g. "6281234567890"',
      'officers[2].whatsapp: write the WhatsApp number in quotes, e.g. "6281234567890"',
    ]);
    expect(problems.join("\n")).not.toContain("08123456789");
  });

  it("rejects two officers with the same chat id without printing it", () => {
    const problems = problemsOf(edit((d) => (d.officers[1].telegram = 900000001)));
    expect(problems).toEqual(["officers[1].telegram: same chat id as officers[0]"]);
  });

  it("rejects times that are not HH:MM and equal from/to", () => {
    const problems = problemsOf(
      edit((d) => {
        d.roster[0].from = "8:00";
        d.roster[1].to = "22:00";
      }),
    );
    expect(problems).toEqual(['roster[0].from: write a time as "HH:MM" (00:00 to 24:00)']);
    expect(problemsOf(edit((d) => (d.roster[1].to = "22:00")))).toEqual([
      'roster[1]: from and to are equal; use "00:00" to "24:00" for all day',
    ]);
  });

  it("rejects an unknown time zone", () => {
    expect(problemsOf(edit((d) => (d.timezone = "Asia/Bali")))).toEqual([
      'timezone: unknown time zone "Asia/Bali" (use e.g. "Asia/Makassar")',
    ]);
  });

  it("rejects a misspelt key instead of ignoring it", () => {
    const problems = problemsOf(edit((d) => (d.policy.high.ack_timeout = 60)));
    expect(problems).toContain('policy.high: Unrecognized key: "ack_timeout"');
  });

  it("rejects an impossible checked date and an empty tier", () => {
    const problems = problemsOf(
      edit((d) => {
        d.hotlines[0].checked = "2025-02-30";
        d.policy.high.tiers = [[]];
      }),
    );
    expect(problems).toEqual([
      "hotlines[0].checked: write a date as YYYY-MM-DD",
      "policy.high.tiers[0]: a tier needs at least one officer",
    ]);
  });

  it("rejects a policy without the critical level", () => {
    expect(problemsOf(edit((d) => delete d.policy.critical))).toEqual([
      "policy.critical: Invalid input: expected object, received undefined",
    ]);
  });
});

describe("findOfficerByAddress", () => {
  it("recognises officers by Telegram id or WhatsApp number and nobody else", () => {
    const c = loadContacts(join(fixtures, "small.yaml"));
    expect(findOfficerByAddress(c, { channel: "telegram", chatId: 900000002 })?.id).toBe("off-2");
    expect(findOfficerByAddress(c, { channel: "whatsapp", number: "620000000091" })?.id).toBe("off-3");
    expect(findOfficerByAddress(c, { channel: "telegram", chatId: 123 })).toBeUndefined();
  });
});
