import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { isOnDuty, localTime, onDuty } from "../../../src/bot/officers/roster.ts";

const contacts = loadContacts(join(import.meta.dirname, "../../fixtures/contacts/small.yaml"));
/** An instant given as WITA wall-clock time (UTC+8). */
const wita = (local: string) => new Date(`${local}+08:00`);

describe("localTime", () => {
  it("reads weekday and minute in the contacts' zone, not in UTC", () => {
    // Sunday 23:59 in UTC is already Monday 07:59 in Bali.
    expect(localTime(new Date("2025-04-06T23:59:00Z"), "Asia/Makassar")).toEqual({ day: "mon", minute: 479 });
  });
});

describe("onDuty", () => {
  it("puts an officer on duty from 08:00 WITA on Monday, not at 07:59", () => {
    expect(isOnDuty(contacts, "off-1", new Date("2025-04-06T23:59:00Z"))).toBe(false);
    expect(isOnDuty(contacts, "off-1", new Date("2025-04-07T00:00:00Z"))).toBe(true);
  });

  it("ends a day shift at its end minute and skips days not listed", () => {
    expect(isOnDuty(contacts, "off-1", wita("2025-04-07T15:59"))).toBe(true);
    expect(isOnDuty(contacts, "off-1", wita("2025-04-07T16:00"))).toBe(false);
    expect(isOnDuty(contacts, "off-1", wita("2025-04-12T10:00"))).toBe(false);
  });

  it("covers an overnight shift from its start day into the next morning", () => {
    expect(isOnDuty(contacts, "off-2", wita("2025-04-11T21:59"))).toBe(false);
    expect(isOnDuty(contacts, "off-2", wita("2025-04-11T22:00"))).toBe(true);
    expect(isOnDuty(contacts, "off-2", wita("2025-04-12T05:59"))).toBe(true);
    expect(isOnDuty(contacts, "off-2", wita("2025-04-12T06:00"))).toBe(false);
    // Thursday is not a start day, so early Friday is off duty; Saturday night is not either.
    expect(isOnDuty(contacts, "off-2", wita("2025-04-11T03:00"))).toBe(false);
    expect(isOnDuty(contacts, "off-2", wita("2025-04-12T23:00"))).toBe(false);
  });

  it("treats an officer without roster rows as always on duty", () => {
    expect(isOnDuty(contacts, "off-3", wita("2025-04-13T03:00"))).toBe(true);
    expect(onDuty(contacts, ["off-1", "off-3"], wita("2025-04-13T03:00"))).toEqual({
      officers: ["off-3"],
      fallback: false,
    });
  });

  it("falls back to the whole tier when nobody in it is on duty", () => {
    expect(onDuty(contacts, ["off-1", "off-2"], wita("2025-04-09T20:00"))).toEqual({
      officers: ["off-1", "off-2"],
      fallback: true,
    });
  });

  it("keeps the tier's order and returns only the on-duty officers", () => {
    expect(onDuty(contacts, ["off-2", "grp-1", "off-1"], wita("2025-04-09T09:00"))).toEqual({
      officers: ["grp-1", "off-1"],
      fallback: false,
    });
  });

  it("puts everyone on duty when the file has no roster", () => {
    const noRoster = { ...contacts, roster: undefined };
    expect(onDuty(noRoster, ["off-1", "off-2"], wita("2025-04-13T03:00"))).toEqual({
      officers: ["off-1", "off-2"],
      fallback: false,
    });
  });

  it("supports an all-day shift from 00:00 to 24:00", () => {
    const allDay = {
      ...contacts,
      roster: [{ officer: "off-1", days: ["sun" as const], from: "00:00", to: "24:00" }],
    };
    expect(isOnDuty(allDay, "off-1", wita("2025-04-13T00:00"))).toBe(true);
    expect(isOnDuty(allDay, "off-1", wita("2025-04-13T23:59"))).toBe(true);
    expect(isOnDuty(allDay, "off-1", wita("2025-04-14T00:00"))).toBe(false);
  });
});
