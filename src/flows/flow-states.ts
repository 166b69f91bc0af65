import { and, not, or } from "xstate";
import { defineFlow } from "./flow-module.ts";
import { choice, enter, mainSetup, say } from "./main-setup.ts";
import { ACCEPTS_FILES } from "./message.ts";

/** After a check result: report the recruiter (answers carried over) or ask questions (the check is dropped). */
const afterResult = [
  { guard: choice("report"), actions: "startReportFromCheck", target: "#main.report.prefilled" },
  { guard: choice("qa"), actions: "dropDrafts", target: "#main.qa" },
  { guard: choice("checkin"), actions: ["dropDrafts", "clearCheckinDraft"], target: "#main.checkin.date" },
] as const;

/** The safe-migration check: every `checkQuestions` entry in order, then the result, more detail on request, and the offer to report. */
export const checkStates = mainSetup.createStateConfig({
  entry: "startCheck",
  initial: "question",
  states: {
    question: {
      entry: "enterCheckQuestion",
      always: { guard: "checkDone", actions: "showCheckResult", target: "result" },
      on: {
        "user.message": [
          { guard: and(["asksCheckResult", "checkResultDue"]), actions: "peekCheckResult", target: "result" },
          { guard: "asksCheckResult", actions: ["peekCheckResult", "reprompt"] },
          {
            guard: and(["answersCheck", "lastCheckQuestion"]),
            actions: ["recordCheckAnswer", "showCheckResult"],
            target: "result",
          },
          { guard: "answersCheck", actions: "recordCheckAnswer", target: "question", reenter: true },
        ],
      },
    },
    /** The verdict and three points; more detail, questions, the menu or a report next. */
    result: {
      entry: enter("check.result"),
      on: {
        "user.message": [
          ...afterResult,
          { guard: choice("detail"), actions: "showCheckDetail", target: "detail" },
        ],
      },
    },
    /** Everything explained, the to-do list and the family summary were shown. */
    detail: { entry: enter("check.detail"), on: { "user.message": [...afterResult] } },
  },
});

/** A typed question; a code, a story, an offer or a request for numbers is routed like at the menu instead. */
const askAgain = [
  {
    guard: and(["qaHit", not("routedElsewhere")]),
    actions: "answerQa",
    target: "#main.qa.answered",
    reenter: true,
  },
  {
    guard: and(["freeText", not("routedElsewhere")]),
    actions: "answerQa",
    target: "#main.qa.nomatch",
    reenter: true,
  },
] as const;

/** Questions and answers: typed question → best answer, two related questions, or an honest "no match". */
export const qaStates = mainSetup.createStateConfig({
  initial: "ask",
  states: {
    ask: { entry: enter("qa.ask"), on: { "user.message": [...askAgain] } },
    answered: {
      entry: enter("qa.answered"),
      on: {
        "user.message": [
          ...askAgain,
          {
            guard: { type: "choicePrefix", params: { prefix: "r" } },
            actions: "answerRelated",
            target: "answered",
            reenter: true,
          },
        ],
      },
    },
    nomatch: {
      entry: enter("qa.nomatch"),
      on: {
        "user.message": [
          ...askAgain,
          { guard: choice("report"), actions: ["startReport", say("report.intro")], target: "#main.report" },
        ],
      },
    },
  },
});

/** Status check: code, then PIN (never kept), then the case with officer questions and a way to add more. */
export const statusStates = mainSetup.createStateConfig({
  entry: "startStatus",
  initial: "begin",
  states: {
    /** A code typed at the menu goes straight to the PIN; typed with its PIN, to the lookup. */
    begin: {
      always: [
        { guard: "statusPinTyped", target: "lookup" },
        { guard: "statusCodeKnown", target: "pin" },
        { target: "code" },
      ],
    },
    code: {
      entry: enter("status.code"),
      on: { "user.message": { guard: "freeText", actions: "recordCode", target: "pin" } },
    },
    pin: {
      entry: enter("status.pin"),
      on: { "user.message": { guard: "freeText", actions: "lookupStatus", target: "lookup" } },
    },
    lookup: {
      entry: enter("status.lookup"),
      on: {
        "status.result": [{ guard: "statusOk", actions: "storeCase", target: "open" }, { target: "failed" }],
      },
    },
    failed: {
      entry: enter("status.failed"),
      on: { "user.message": { guard: choice("retry"), target: "code" } },
    },
    open: {
      entry: enter("status.open"),
      on: {
        "user.message": [
          {
            guard: { type: "choicePrefix", params: { prefix: "q" } },
            actions: "chooseQuestion",
            target: "answer",
          },
          { guard: choice("add"), target: "add" },
        ],
      },
    },
    answer: {
      entry: enter("status.answer"),
      on: {
        "user.message": [
          { guard: "freeText", actions: "appendAnswer", target: "appending" },
          { guard: choice("back"), target: "open" },
        ],
      },
    },
    add: {
      tags: [ACCEPTS_FILES],
      entry: enter("status.add"),
      on: {
        "user.message": [
          // "selesai", "udah itu aja": done adding, back to the case; not a line sent to the officers.
          { guard: "endsStory", target: "open" },
          { guard: or(["freeText", "media"]), actions: "appendInfo", target: "appending" },
          { guard: choice("back"), target: "open" },
        ],
      },
    },
    appending: {
      entry: enter("status.appending"),
      on: {
        "case.appended": [
          { guard: "wasAnswering", actions: "appendResult", target: "open" },
          { actions: "appendResult", target: "add" },
        ],
      },
    },
  },
});

/** The safe-migration check as a flow of the registry. */
export const checkFlow = defineFlow({
  id: "check",
  version: 1,
  states: { check: checkStates },
  start: { target: "#main.check" },
  owns: ["check"],
  pausable: true,
});

/** Questions and answers as a flow of the registry. */
export const qaFlow = defineFlow({
  id: "qa",
  version: 1,
  states: { qa: qaStates },
  start: { target: "#main.qa" },
  owns: ["qa"],
});

/** The status check as a flow of the registry. */
export const statusFlow = defineFlow({
  id: "status",
  version: 1,
  states: { status: statusStates },
  start: { target: "#main.status" },
  owns: ["status"],
});
