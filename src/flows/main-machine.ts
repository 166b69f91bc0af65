import { checkStates, qaStates, statusStates } from "./flow-states.ts";
import { initialContext } from "./main-context.ts";
import { choice, enter, explain, mainSetup, say } from "./main-setup.ts";
import { reportStates } from "./report-states.ts";

/**
 * The one conversation machine: language, menu, safe-migration check, anonymous report, status
 * check, questions and answers, emergency numbers and `/hapus`. It is pure: it reads events
 * ({@link FlowEvent}) and speaks only through emitted outputs ({@link FlowOutput}); the engine
 * persists `getPersistedSnapshot()` as JSON. `context.lang` is the conversation's language and
 * `context.step` the prompt on screen. No timers, children or I/O live inside.
 */
export const mainMachine = mainSetup.createMachine({
  id: "main",
  context: initialContext(),
  initial: "start",
  on: {
    "user.message": [
      { guard: "wantsMenu", target: ".menu" },
      { guard: "wantsLanguage", target: ".language" },
      { guard: { type: "command", params: { command: "delete" } }, target: ".deleteConfirm" },
      { guard: { type: "command", params: { command: "help" } }, actions: say("menu.help"), target: ".menu" },
      { guard: { type: "command", params: { command: "status" } }, target: ".status" },
      { guard: choice("menu"), target: ".menu" },
      { guard: "isChoice", actions: explain("common.expired") },
      { guard: "isText", actions: explain("common.reask") },
      { guard: "isUnsupported", actions: explain("common.unsupported") },
      { actions: explain("common.media_unexpected") },
    ],
    "case.update": { actions: "showCaseUpdate" },
    "timer.fired": { guard: "timerMatches", actions: "goQuiet", target: ".menu" },
  },
  states: {
    /** Nothing said yet (or the conversation was deleted): any message asks for the language. */
    start: { on: { "user.message": { target: "language" } } },
    language: {
      entry: enter("language"),
      on: { "user.message": { guard: "offered", actions: "chooseLanguage", target: "menu" } },
    },
    menu: {
      entry: "enterMenu",
      on: {
        "user.message": [
          { guard: choice("check"), target: "check" },
          { guard: choice("report"), actions: ["startReport", say("report.intro")], target: "report" },
          { guard: choice("qa"), target: "qa" },
          { guard: choice("status"), target: "status" },
          { guard: choice("emergency"), actions: "showEmergency", target: "menu", reenter: true },
          { guard: choice("delete"), target: "deleteConfirm" },
        ],
      },
    },
    deleteConfirm: {
      entry: enter("deleteConfirm"),
      on: {
        "user.message": [
          { guard: choice("yes"), actions: "deleteConversation", target: "start" },
          { guard: choice("no"), target: "menu" },
        ],
      },
    },
    check: checkStates,
    report: reportStates,
    status: statusStates,
    qa: qaStates,
  },
});
