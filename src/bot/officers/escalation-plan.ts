import type { Contacts, EscalationPolicy } from "./contacts.ts";
import { onDuty } from "./roster.ts";

/** Urgency from triage. Only `critical` and `high` escalate; `normal` goes to the daily digest. */
export type Urgency = "critical" | "high" | "normal";

/** The escalation policies by urgency, as in the contacts file's `policy`. */
export type Policies = Contacts["policy"];

/**
 * One step of the escalation ladder: `tier` indexes the policy's tiers, `round` counts runs of
 * the whole ladder (0 = first run, up to `repeat`). Plain data, so a durable job can carry it.
 */
export type EscalationStep = { tier: number; round: number };

/**
 * The first step for a new case: tier 0 of round 0, or `undefined` for `normal` urgency, which is
 * never escalated (it goes to the agency's daily digest).
 */
export function firstStep(policy: Policies, urgency: Urgency): EscalationStep | undefined {
  return policyFor(policy, urgency) ? { tier: 0, round: 0 } : undefined;
}

/**
 * The step after `step` when nobody acknowledged in time. After the last tier the ladder starts
 * again at tier 0 while `round < repeat`, so a ladder of T tiers runs T × (repeat + 1) steps in
 * all. `undefined` means the ladder is exhausted: the caller records that the case is
 * unacknowledged. Officers told in earlier steps can still acknowledge, which stops the ladder.
 */
export function nextStep(
  policy: Policies,
  urgency: Urgency,
  step: EscalationStep,
): EscalationStep | undefined {
  const p = policyFor(policy, urgency);
  if (!p) return undefined;
  if (step.tier + 1 < p.tiers.length) return { tier: step.tier + 1, round: step.round };
  if (step.round < p.repeat) return { tier: 0, round: step.round + 1 };
  return undefined;
}

/** How long a step waits for an acknowledgement before {@link nextStep}, in milliseconds. */
export function ackTimeoutMs(policy: Policies, urgency: Urgency): number | undefined {
  const p = policyFor(policy, urgency);
  return p ? p.ack_timeout_seconds * 1000 : undefined;
}

/** Every step of the ladder in order; handy for showing the plan and for tests. */
export function allSteps(policy: Policies, urgency: Urgency): EscalationStep[] {
  const steps: EscalationStep[] = [];
  for (let s = firstStep(policy, urgency); s; s = nextStep(policy, urgency, s)) steps.push(s);
  return steps;
}

/**
 * The officers to notify for `step` at `now`: the tier's on-duty officers, or the whole tier with
 * `fallback: true` when nobody in it is on duty. Empty for `normal` or a step outside the policy.
 */
export function recipientsForStep(
  contacts: Contacts,
  urgency: Urgency,
  step: EscalationStep,
  now: Date,
): { officers: string[]; fallback: boolean } {
  const tier = policyFor(contacts.policy, urgency)?.tiers[step.tier];
  if (!tier) return { officers: [], fallback: false };
  return onDuty(contacts, tier, now);
}

function policyFor(policy: Policies, urgency: Urgency): EscalationPolicy | undefined {
  return urgency === "normal" ? undefined : policy[urgency];
}
