import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import {
  ackTimeoutMs,
  allSteps,
  firstStep,
  nextStep,
  recipientsForStep,
} from "../../../src/bot/officers/escalation-plan.ts";

const contacts = loadContacts(join(import.meta.dirname, "../../fixtures/contacts/small.yaml"));
const policy = contacts.policy;

describe("escalation plan", () => {
  it("starts critical and high cases at tier 0 of round 0", () => {
    expect(firstStep(policy, "critical")).toEqual({ tier: 0, round: 0 });
    expect(firstStep(policy, "high")).toEqual({ tier: 0, round: 0 });
  });

  it("never escalates a normal case", () => {
    expect(firstStep(policy, "normal")).toBeUndefined();
    expect(nextStep(policy, "normal", { tier: 0, round: 0 })).toBeUndefined();
    expect(ackTimeoutMs(policy, "normal")).toBeUndefined();
    expect(allSteps(policy, "normal")).toEqual([]);
  });

  it("sends a critical case to tier 2 when tier 1 does not acknowledge, then repeats the ladder twice", () => {
    expect(nextStep(policy, "critical", { tier: 0, round: 0 })).toEqual({ tier: 1, round: 0 });
    expect(nextStep(policy, "critical", { tier: 1, round: 0 })).toEqual({ tier: 0, round: 1 });
    expect(allSteps(policy, "critical")).toEqual([
      { tier: 0, round: 0 },
      { tier: 1, round: 0 },
      { tier: 0, round: 1 },
      { tier: 1, round: 1 },
      { tier: 0, round: 2 },
      { tier: 1, round: 2 },
    ]);
    expect(nextStep(policy, "critical", { tier: 1, round: 2 })).toBeUndefined();
  });

  it("runs a ladder tiers × (repeat + 1) steps for any policy", () => {
    for (const repeat of [0, 1, 3]) {
      for (const tiers of [1, 2, 4]) {
        const p = {
          ...policy,
          high: { tiers: Array.from({ length: tiers }, () => ["off-1"]), ack_timeout_seconds: 60, repeat },
        };
        expect(allSteps(p, "high")).toHaveLength(tiers * (repeat + 1));
      }
    }
  });

  it("gives the acknowledgement timeout in milliseconds", () => {
    expect(ackTimeoutMs(policy, "critical")).toBe(300_000);
    expect(ackTimeoutMs(policy, "high")).toBe(1_800_000);
  });

  it("notifies the tier's on-duty officers and says when it fell back to the whole tier", () => {
    const mondayMorning = new Date("2025-04-07T09:00:00+08:00");
    expect(recipientsForStep(contacts, "critical", { tier: 1, round: 0 }, mondayMorning)).toEqual({
      officers: ["off-3"],
      fallback: false,
    });
    const sundayNight = new Date("2025-04-13T23:00:00+08:00");
    expect(recipientsForStep(contacts, "high", { tier: 0, round: 1 }, sundayNight)).toEqual({
      officers: ["off-1"],
      fallback: true,
    });
    expect(recipientsForStep(contacts, "high", { tier: 5, round: 0 }, sundayNight)).toEqual({
      officers: [],
      fallback: false,
    });
  });
});
