import type { FlowEvent, Lang, StatusResult } from "./message.ts";
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
  check: { index: number; answers: CheckAnswers } | null;
  status: StatusDraft | null;
  qa: { related: string[] } | null;
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
  narrative: string;
  recruiter?: string;
  evidenceRefs: string[];
  consentContact?: boolean;
  migration?: MigrationAnswers;
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
  };
}

/** Idle time after which an unfinished report, check or status session is wiped. */
export const IDLE_MS = 2 * 60 * 60 * 1000;

export type Ev = FlowEvent;
