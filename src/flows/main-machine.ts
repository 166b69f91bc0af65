import { and, not } from "xstate";
import { checkStates, qaStates, statusStates } from "./flow-states.ts";
import { TYPED_FALLBACK, withFrontDoor } from "./front-door.ts";
import { initialContext } from "./main-context.ts";
import { choice, enter, explain, mainSetup, say } from "./main-setup.ts";
import { REPORT_STEPS, reportStates } from "./report-states.ts";

/**
 * The one conversation machine: language, menu, safe-migration check, anonymous report, status
 * check, questions and answers, emergency numbers and `/hapus`. It is pure: it reads events
 * ({@link FlowEvent}) and speaks only through emitted outputs ({@link FlowOutput}); the engine
 * persists `getPersistedSnapshot()` as JSON. `context.lang` is the conversation's language and
 * `context.step` the prompt on screen. No timers, children or I/O live inside.
 *
 * Typed text is first-class: every state first takes answers to a question laid over it and the front
 * door (danger brings the emergency numbers in the very next reply), then its own transitions, which
 * read typed synonyms, numbers and yes/no like taps; what no state takes is routed by its intent.
 */
const STATUS_COMMAND = { type: "command", params: { command: "status" as const } } as const;

type MainConfig = Parameters<typeof mainSetup.createMachine>[0];

export const mainMachine = mainSetup.createMachine(
  withFrontDoor<MainConfig>({
    id: "main",
    context: initialContext(),
    initial: "start",
    on: {
      "user.message": [
        { guard: and(["wantsMenu", "hasDraft"]), actions: "offerLeaveMenu" },
        { guard: "wantsMenu", target: ".menu", reenter: true },
        { guard: and(["wantsLanguage", "langChosen"]), actions: "offerLanguage" },
        { guard: "wantsLanguage", target: ".language" },
        { guard: { type: "command", params: { command: "delete" } }, actions: "offerDelete" },
        {
          guard: { type: "command", params: { command: "help" } },
          actions: say("menu.help"),
          target: ".menu",
        },
        { guard: and([STATUS_COMMAND, "hasDraft"]), actions: "offerLeaveStatus" },
        { guard: { type: "command", params: { command: "status" } }, target: ".status", reenter: true },
        { guard: choice("menu"), target: ".menu" },
        { guard: "isChoice", actions: explain("common.expired") },
        ...TYPED_FALLBACK,
        { guard: "isUnsupported", actions: explain("common.unsupported") },
        { actions: explain("common.media_unexpected") },
      ],
      "case.update": { actions: "showCaseUpdate" },
      "timer.fired": { guard: "timerMatches", actions: "goQuiet", target: ".menu" },
      "session.resumed": { actions: "reprompt" },
    },
    states: {
      /** Nothing said yet (or the conversation was deleted): typed text is answered in its language; anything else asks for one. */
      start: {
        on: {
          "user.message": [
            { guard: "isText", actions: ["firstContact", "reraise"], target: "menu" },
            { target: "language" },
          ],
        },
      },
      language: {
        entry: enter("language"),
        on: {
          "user.message": [
            { guard: "offered", actions: "chooseLanguage", target: "menu" },
            {
              guard: and(["isText", not("langChosen")]),
              actions: ["firstContact", "reraise"],
              target: "menu",
            },
          ],
        },
      },
      menu: {
        entry: "enterMenu",
        on: {
          "user.message": [
            { guard: choice("resume"), actions: "resumeDraft", target: "resume" },
            { guard: choice("check"), target: "check" },
            { guard: choice("report"), actions: ["startReport", say("report.intro")], target: "report" },
            { guard: choice("qa"), target: "qa" },
            { guard: choice("status"), target: "status" },
            { guard: choice("emergency"), actions: "showEmergency", target: "menu", reenter: true },
            { guard: choice("delete"), actions: "offerDelete" },
          ],
        },
      },
      /** Back to the question a kept report or check stopped at. */
      resume: {
        always: [
          ...REPORT_STEPS.map((s) => ({
            guard: { type: "pausedAt", params: { step: `report.${s}` } } as const,
            target: `#main.report.${s}`,
          })),
          { guard: "checkPaused", target: "#main.check.question" },
          { target: "menu" },
        ],
      },
      check: checkStates,
      report: reportStates,
      status: statusStates,
      qa: qaStates,
    },
  }),
);
