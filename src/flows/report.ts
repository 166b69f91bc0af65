import { z } from "zod";
import { langSchema } from "./message.ts";

/**
 * The structured anonymous report a flow emits with `report.submitted`. The engine stores it
 * encrypted; triage and the officers' summary read it. Nothing here identifies the reporter.
 */

/** Longest story a report keeps. */
export const NARRATIVE_MAX = 20_000;

/** `story` with `typed` added once (a paragraph of its own), within {@link NARRATIVE_MAX}. */
export function addToStory(story: string, typed: string): string {
  if (story.includes(typed)) return story;
  return (story ? `${story}\n\n${typed}` : typed).slice(0, NARRATIVE_MAX);
}

export const situationSchema = z.enum([
  "recruitment_fraud",
  "held_or_forced_work",
  "sexual_exploitation",
  "child_involved",
  "scam_compound",
  "other",
]);
export type Situation = z.infer<typeof situationSchema>;

export const yesNoUnsureSchema = z.enum(["yes", "no", "unsure"]);
export type YesNoUnsure = z.infer<typeof yesNoUnsureSchema>;

/** Answers of the safe-migration check, carried into a report when the user reports the recruiter. */
export const migrationAnswersSchema = z.object({
  /** Red-flag question id → answer; ids are the check's own (e.g. `tourist_visa`, `passport_kept`). */
  flags: z.record(z.string(), yesNoUnsureSchema),
  destination: z.string().max(200).optional(),
  agency: z.string().max(500).optional(),
  /** Departure planned within 72 hours. */
  departureSoon: z.boolean().optional(),
});
export type MigrationAnswers = z.infer<typeof migrationAnswersSchema>;

export const reportSchema = z.object({
  lang: langSchema,
  situation: situationSchema,
  /** Country and city as typed by the reporter. */
  country: z.string().max(200).optional(),
  city: z.string().max(200).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  /** When it happened or will happen, free text ("kemarin", "besok berangkat"). */
  when: z.string().max(500).optional(),
  /** The victim is leaving (or was moved) within 72 hours. */
  departureWithin72h: z.boolean().default(false),
  peopleCount: z.number().int().min(0).max(10000).optional(),
  minorsInvolved: yesNoUnsureSchema.default("unsure"),
  dangerNow: yesNoUnsureSchema.default("unsure"),
  /** Someone is locked in, confined or guarded. */
  confined: z.boolean().default(false),
  passportWithheld: z.boolean().default(false),
  forcedWorkOrDebt: z.boolean().default(false),
  /** Which of the three questions above were answered "not sure" (their value is then false). */
  unsure: z.array(z.enum(["confined", "passportWithheld", "forcedWorkOrDebt"])).default([]),
  /** What happened, possibly several messages joined with blank lines. */
  narrative: z.string().max(NARRATIVE_MAX).default(""),
  recruiter: z.string().max(2000).optional(),
  /** Stored evidence ids (see the `media` inbound message). */
  evidenceRefs: z.array(z.string()).max(20).default([]),
  /** The reporter agreed to be contacted back through the bot. */
  consentContact: z.boolean().default(false),
  /** Present when the report started from the safe-migration check. */
  migration: migrationAnswersSchema.optional(),
  /** A case opened by safe-departure check-ins: help asked, danger signalled, the safe phrase, or misses. */
  checkin: z.enum(["help", "danger", "safe_phrase", "missed"]).optional(),
});
export type Report = z.infer<typeof reportSchema>;
