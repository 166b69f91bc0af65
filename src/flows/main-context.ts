import type { FamilyView, FlowEvent, Lang, StatusResult } from "./message.ts";
import type { CheckAnswers } from "./migration-check.ts";
import type { MigrationAnswers, Situation, YesNoUnsure } from "./report.ts";

/**
 * The main machine's context. It is persisted as JSON by the engine, so it holds only plain data
 * (no `undefined`-only meaning, no class instances, never a PIN). `lang` is the conversation's
 * language and `step` the id of the prompt the user is looking at.
 */
export type MainContext = {
  lang: Lang;
  /** The user has picked a language at least once (first contact shows the privacy promise). */
  langChosen: boolean;
  /** The language was read from typed text, not picked: a later sentence in the other language switches it. */
  langFromText?: boolean;
  /** Id of the current prompt; choice ids are `<step>:<value>`. */
  step: string;
  /** The next entry into the menu shows nothing (idle timeout). */
  quiet: boolean;
  timerSeq: number;
  /** Token of the one idle timer that counts; any other `timer.fired` is stale. */
  timerToken: string | null;
  report: ReportDraft | null;
  /** A review edit is in progress: the edited step returns to the review. */
  editing: boolean;
  check: CheckProgress | null;
  status: StatusDraft | null;
  /** Related entries offered after an answer; `guess` when the match was weak and the person is asked "did you mean…?". */
  qa: { related: string[]; guess?: boolean } | null;
  /** Where the person said they are (typed text or the report's country); null while unknown. */
  where?: "indonesia" | "abroad" | null;
  /** A question laid over the current step (confirm a report from a story, leave a draft, delete, language). */
  pending?: Pending | null;
  /** A report or check the person left for something else; the menu offers to continue it. */
  paused?: Paused | null;
  /** The introduction was just shown (first typed contact): a hello needs no second hello. */
  introduced?: boolean;
  /** What a typed message carries into the flow it starts (a code, a story, known check answers); used once. */
  carry?: Carry | null;
  /** Check-in details being given (the check-in flow's own slice). */
  checkin?: CheckinDraft | null;
  /** Active check-ins of this person: kept across flows and flow restarts until stopped or done. */
  checkins?: CheckinPlan | null;
  /** What a family member last learned, or the worker's linked people, for the step on screen. */
  family?: { people: FamilyView[] } | { linked: { id: string; channel: string; since: string }[] } | null;
};

/** Check-in details while the worker gives them. */
export type CheckinDraft = {
  date?: string;
  country?: string;
  city?: string;
  agency?: string;
  employer?: string;
  nickname?: string;
  days?: "default" | "light";
  safePhrase?: string;
  /** The family code, shown once after the check-ins were stored. */
  code?: string;
};

/** The check-in schedule as the timers run it. */
export type CheckinPlan = {
  /** IANA zone of the destination. */
  zone: string;
  /** Check-in times (ISO), oldest first. */
  schedule: string[];
  /** Index into `schedule` of the next check-in to ask. */
  next: number;
  /** The check-in asked and not yet answered. */
  awaiting: { index: number; at: string } | null;
  /** Check-ins missed in a row. */
  missed: number;
  /** The family code to give to trusted people. */
  code: string;
};

/** Destinations a typed message can lead to from the middle of a flow. */
export type LeaveTarget = "menu" | "report" | "check" | "status" | "qa";

export type Pending =
  /** Danger was typed outside a report: offer a report holding the words, or to continue. */
  | { kind: "danger"; story: string; situation?: Situation }
  /** A story was typed at the menu: one tap starts a report holding it. */
  | { kind: "story"; story: string; situation?: Situation }
  /** The person asked for something else in the middle of a report or check. */
  | { kind: "leave"; to: LeaveTarget; carry?: Carry }
  | { kind: "delete" }
  | { kind: "language" };

/** Where the person is in the safe-migration check; `peeked` once they asked for the result early. */
export type CheckProgress = {
  index: number;
  answers: CheckAnswers;
  peeked?: boolean;
  /** What the person typed about the offer (the first message, a story at a question): a report's story. */
  story?: string;
};

export type Paused = {
  flow: "report" | "check";
  step: string;
  report: ReportDraft | null;
  editing: boolean;
  check: CheckProgress | null;
};

export type Carry = {
  code?: string;
  story?: string;
  situation?: Situation;
  check?: CheckAnswers;
  question?: string;
};

/** A report being filled in; becomes a `Report` on confirm. */
export type ReportDraft = {
  situation?: Situation;
  country?: string;
  city?: string;
  location?: { latitude: number; longitude: number };
  when?: string;
  departureWithin72h?: boolean;
  peopleCount?: number;
  minorsInvolved?: YesNoUnsure;
  dangerNow?: YesNoUnsure;
  confined?: boolean;
  passportWithheld?: boolean;
  forcedWorkOrDebt?: boolean;
  /** Which of confined / passportWithheld / forcedWorkOrDebt were answered "not sure". */
  unsure?: ("confined" | "passportWithheld" | "forcedWorkOrDebt")[];
  narrative: string;
  recruiter?: string;
  evidenceRefs: string[];
  consentContact?: boolean;
  migration?: MigrationAnswers;
  /** Which emergency numbers this report showed (each set once is enough; not part of the report). */
  numbersShown?: "indonesia" | "abroad" | "unknown";
};

export type OpenCase = Extract<StatusResult, { ok: true }>;

export type StatusDraft = {
  code: string | null;
  case: OpenCase | null;
  /** Index into `case.questions` of the question being answered. */
  answering: number | null;
};

export function initialContext(): MainContext {
  return {
    lang: "id",
    langChosen: false,
    step: "start",
    quiet: false,
    timerSeq: 0,
    timerToken: null,
    report: null,
    editing: false,
    check: null,
    status: null,
    qa: null,
    where: null,
    pending: null,
    paused: null,
    carry: null,
    checkin: null,
    checkins: null,
    family: null,
  };
}

/** Idle time after which an unfinished report, check or status session is wiped. */
export const IDLE_MS = 2 * 60 * 60 * 1000;

export type Ev = FlowEvent;
