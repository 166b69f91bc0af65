import { and, or } from "xstate";
import type { FlowModule } from "./flow-module.ts";
import { TYPED_FALLBACK, withFrontDoor } from "./front-door.ts";
import { initialContext } from "./main-context.ts";
import { choice, explain, mainSetup, say } from "./main-setup.ts";

/**
 * The root conversation machine, composed from the flows of the registry (`registry.ts`): their
 * states side by side under one root that holds the transitions every step shares (commands, the
 * typed fallback, officer updates, the idle timer) and, for each flow, `flow.restart` to its start.
 * It is pure: it reads events ({@link FlowEvent}) and speaks only through emitted outputs
 * ({@link FlowOutput}); the engine persists `getPersistedSnapshot()` as JSON. `context.lang` is the
 * conversation's language and `context.step` the prompt on screen. No timers, children or I/O live inside.
 *
 * Typed text is first-class: every state first takes answers to a question laid over it and the front
 * door (danger brings the emergency numbers in the very next reply), then its own transitions, which
 * read typed synonyms, numbers and yes/no like taps; what no state takes is routed by its intent.
 */
const STATUS_COMMAND = { type: "command", params: { command: "status" as const } } as const;

const timer = (name: string) => ({ type: "timerNamed", params: { name } }) as const;

type MainConfig = Parameters<typeof mainSetup.createMachine>[0];

export function composeMachine(flows: readonly FlowModule[]) {
  const restarts = flows.map((f) => ({
    guard: { type: "restarting", params: { flow: f.id } },
    actions: [{ type: "resetFlow", params: { owns: f.owns } }, ...(f.start.actions ?? [])],
    target: f.start.target,
    reenter: true,
  }));
  const states = Object.assign({}, ...flows.map((f) => f.states)) as MainConfig["states"];
  return mainSetup.createMachine(
    withFrontDoor<MainConfig>({
      id: "main",
      context: initialContext(),
      initial: "start",
      on: {
        "user.message": [
          { guard: and(["wantsMenu", "hasDraft"]), actions: "offerLeaveMenu" },
          { guard: "wantsMenu", target: ".menu", reenter: true },
          // In the middle of a report or check the language is asked over the step, so no answer is lost.
          { guard: and(["wantsLanguage", or(["langChosen", "hasDraft"])]), actions: "offerLanguage" },
          { guard: "wantsLanguage", target: ".language" },
          { guard: { type: "command", params: { command: "delete" } }, actions: "offerDelete" },
          {
            guard: { type: "command", params: { command: "help" } },
            actions: say("menu.help"),
            target: ".menu",
          },
          { guard: and([STATUS_COMMAND, "hasDraft"]), actions: "offerLeaveStatus" },
          { guard: { type: "command", params: { command: "status" } }, target: ".status", reenter: true },
          { guard: { type: "command", params: { command: "stop" } }, actions: "stopCheckins" },
          { guard: "familyCodeTyped", actions: "linkFamily", target: ".checkin.linking" },
          { guard: choice("menu"), target: ".menu" },
          { guard: "isChoice", actions: explain("common.expired") },
          ...TYPED_FALLBACK,
          { guard: "fileNotAsked", actions: explain("common.media_unexpected") },
          { guard: "isUnsupported", actions: explain("common.unsupported") },
          { actions: explain("common.media_unexpected") },
        ],
        "case.update": { actions: "showCaseUpdate" },
        "sender.limited": { actions: say("common.limited") },
        "timer.fired": [
          { guard: timer("checkin"), actions: "askCheckin" },
          { guard: timer("checkin.remind"), actions: "remindCheckin" },
          { guard: timer("checkin.missed"), actions: "missCheckin" },
          { guard: "timerMatches", actions: "goQuiet", target: ".menu" },
        ],
        "session.resumed": { actions: "reprompt" },
        "flow.restart": restarts as never,
      },
      states,
    }),
  );
}
