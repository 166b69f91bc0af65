import { and, not } from "xstate";
import { defineFlow } from "./flow-module.ts";
import { choice, enter, mainSetup, say } from "./main-setup.ts";
import { REPORT_STEPS } from "./report-flow.ts";

/** Nothing said yet (or the conversation was deleted): typed text is answered in its language; anything else asks for one. */
const start = mainSetup.createStateConfig({
  on: {
    "user.message": [
      { guard: "isText", actions: ["firstContact", "reraise"], target: "menu" },
      // /hapus as the very first message: nothing to lose, so it is done at once (and says how to clear
      // the chat on the phone) instead of asking for a language first.
      {
        guard: { type: "command", params: { command: "delete" } },
        actions: "deleteConversation",
        target: "#main.start",
        reenter: true,
      },
      { target: "language" },
    ],
  },
});

const language = mainSetup.createStateConfig({
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
});

const menu = mainSetup.createStateConfig({
  entry: "enterMenu",
  on: {
    "user.message": [
      { guard: choice("resume"), actions: "resumeDraft", target: "resume" },
      { guard: choice("check"), target: "check" },
      { guard: choice("report"), actions: ["startReport", say("report.intro")], target: "report" },
      { guard: choice("checkin"), target: "checkin" },
      { guard: choice("qa"), target: "qa" },
      { guard: choice("status"), target: "status" },
      { guard: choice("emergency"), actions: "showEmergency", target: "menu", reenter: true },
      { guard: choice("delete"), actions: "offerDelete" },
    ],
  },
});

/** Back to the question a kept report or check stopped at. */
const resume = mainSetup.createStateConfig({
  always: [
    ...REPORT_STEPS.map((s) => ({
      guard: { type: "pausedAt", params: { step: `report.${s}` } } as const,
      target: `#main.report.${s}`,
    })),
    { guard: "checkPaused", target: "#main.check.question" },
    { target: "menu" },
  ],
});

/** The menu: first contact, the language, the seven-item menu, and the way back to a kept draft. */
export const menuFlow = defineFlow({
  id: "menu",
  version: 1,
  states: { start, language, menu, resume },
  start: { target: "#main.menu" },
  owns: ["quiet"],
});
