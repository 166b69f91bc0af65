import { and, not, or } from "xstate";

/**
 * Transitions every state takes first for a `user.message`: answers to a question laid over the step
 * (`pending`), then the front door, which brings the emergency numbers at once when danger is typed and
 * raises the message again for the step. {@link withFrontDoor} puts them in front of every state's own
 * transitions, so no state can forget them.
 */
const pend = (kind: string, value: string) => ({ type: "pending", params: { kind, value } }) as const;
const leaveTo = (to: string) => ({ type: "leaveTo", params: { to } }) as const;

export const FRONT_DOOR = [
  // A check-in answer or the safe phrase comes before everything, in every step.
  { guard: "safePhrase", actions: "safePhraseAlarm" },
  { guard: "answersCheckin", actions: "answerCheckin" },
  { guard: "needsFrontDoor", actions: ["frontDoor", "reraise"] },
  { guard: pend("danger", "report"), actions: "reportFromStory", target: "#main.report.fromStory" },
  { guard: pend("story", "report"), actions: "reportFromStory", target: "#main.report.fromStory" },
  { guard: pend("danger", "continue"), actions: ["clearPending", "reprompt"] },
  { guard: pend("danger", "menu"), actions: "clearPending", target: "#main.menu", reenter: true },
  { guard: pend("story", "no"), actions: "clearPending", target: "#main.menu", reenter: true },
  {
    guard: and([pend("leave", "yes"), leaveTo("menu")]),
    actions: ["pauseDraft", "clearPending"],
    target: "#main.menu",
    reenter: true,
  },
  {
    guard: and([pend("leave", "yes"), leaveTo("report")]),
    actions: ["pauseDraft", "carryPending", "reportFromStory"],
    target: "#main.report.fromStory",
  },
  {
    guard: and([pend("leave", "yes"), leaveTo("check")]),
    actions: ["pauseDraft", "carryPending", "dropDrafts"],
    target: "#main.check",
    reenter: true,
  },
  {
    guard: and([pend("leave", "yes"), leaveTo("status")]),
    actions: ["pauseDraft", "carryPending", "dropDrafts"],
    target: "#main.status",
    reenter: true,
  },
  {
    guard: and([pend("leave", "yes"), leaveTo("qa")]),
    actions: ["pauseDraft", "carryPending", "dropDrafts"],
    target: "#main.qa",
    reenter: true,
  },
  { guard: pend("leave", "no"), actions: ["clearPending", "reprompt"] },
  { guard: pend("delete", "yes"), actions: "deleteConversation", target: "#main.start", reenter: true },
  { guard: pend("delete", "no"), actions: ["clearPending", "reprompt"] },
  {
    guard: pend("language", "id"),
    actions: [{ type: "setLanguage", params: { lang: "id" } }, "clearPending", "reprompt"],
  },
  {
    guard: pend("language", "en"),
    actions: [{ type: "setLanguage", params: { lang: "en" } }, "clearPending", "reprompt"],
  },
  // "hapus chat ini" in the middle of a report or check: the delete question, not the answer to the step.
  { guard: and(["typedInFlow", "asksToDelete"]), actions: "offerDelete" },
  // A feeling typed instead of an answer ("takut bgt") is answered kindly and not stored as the answer;
  // a bare "ya" where a place is asked is not a place.
  { guard: "feelingOnly", actions: { type: "explain", params: { key: "typed.feeling" } } },
  { guard: "bareAnswerForPlace", actions: { type: "explain", params: { key: "typed.place_unclear" } } },
  { guard: "bareAnswerForWords", actions: { type: "explain", params: { key: "typed.words_unclear" } } },
  // A report code or a question typed where a report asks for a place, a time or a name is not that
  // answer: the code offers the status check, the question is answered (or kept for the Q&A) and the
  // step asked again. (The check's questions refuse them themselves; see TYPED_FALLBACK.)
  {
    guard: and([
      "inReport",
      "atWordsStep",
      { type: "typedIntent", params: { intents: ["status"] } },
      "otherFlow",
    ]),
    actions: "offerLeave",
  },
  { guard: and(["inReport", "asksInstead"]), actions: "answerOrLater" },
  // "takut bgt" after telling a story: a kind word and the report from their words still on offer
  // (a Q&A entry that happens to say "takut" is no answer to a feeling).
  { guard: and(["storyOffered", "feelingTyped"]), actions: "feelingKeepingOffer" },
  // "darurat" typed while a report from their words is on offer: the numbers, and the offer still standing
  // (before the step, so the menu does not take it as its own emergency item and drop the offer).
  {
    guard: and(["storyOffered", { type: "typedIntent", params: { intents: ["emergency"] } }]),
    actions: ["showEmergency", "offerStill"],
  },
  // "apa itu TPPO?" after telling a story or typing danger: answered, and the report from those words
  // is still offered. Before the step's own transitions, so a free-text step does not take it as an answer.
  {
    guard: and([
      "storyOffered",
      not("dangerTyped"),
      { type: "typedIntent", params: { intents: ["question", "check"] } },
      "qaSure",
    ]),
    actions: "answerKeepingOffer",
  },
] as const;

/** Typed text the step did not take, in the middle of a flow or at rest (menu, Q&A, results). */
export const TYPED_FALLBACK = [
  { guard: and(["typedInFlow", "dangerTyped", not("inReport")]), actions: "offerDanger" },
  {
    guard: and([
      "typedInFlow",
      { type: "typedIntent", params: { intents: ["report", "check", "status"] } },
      "otherFlow",
    ]),
    actions: "offerLeave",
  },
  // "lapor aja" in the middle of a check: offer to start a report with it.
  { guard: and(["typedInFlow", "asksToReport", not("inReport")]), actions: "offerLeaveReport" },
  {
    guard: and(["typedInFlow", { type: "typedIntent", params: { intents: ["emergency"] } }]),
    actions: ["showEmergency", "reprompt"],
  },
  {
    guard: and(["typedInFlow", { type: "typedIntent", params: { intents: ["delete"] } }]),
    actions: "offerDelete",
  },
  {
    guard: and(["typedInFlow", { type: "typedIntent", params: { intents: ["question"] } }, "qaSure"]),
    actions: ["answerQaInline", "reprompt"],
  },
  { guard: and(["typedInFlow", "asksInstead"]), actions: "answerOrLater" },
  {
    guard: and(["typedInFlow", "storyKept"]),
    actions: { type: "explain", params: { key: "typed.danger.kept" } },
  },
  // "katanya gajinya 12 juta sebulan" at a check question: what it tells is taken and kept, then the question.
  {
    guard: and(["typedInFlow", "tellsCheck"]),
    actions: "noteCheckStory",
    target: "#main.check.question",
    reenter: true,
  },
  { guard: "typedInFlow", actions: { type: "explain", params: { key: "common.reask" } } },
  // "sy takut" at the menu or after an answer: a kind word and the menu, not a Q&A entry that says "takut".
  { guard: or(["feelingTyped", "lostTyped"]), actions: "socialReply", target: "#main.menu", reenter: true },
  {
    guard: { type: "typedIntent", params: { intents: ["status"] } },
    actions: "carryTyped",
    target: "#main.status",
    reenter: true,
  },
  {
    guard: and([{ type: "typedIntent", params: { intents: ["report"] } }, "isStory"]),
    actions: "offerStory",
  },
  {
    guard: { type: "typedIntent", params: { intents: ["report"] } },
    actions: "reportFromStory",
    target: "#main.report.fromStory",
  },
  // "agen minta uang jaminan 5jt, wajar ga?" is a question with an answer, not an offer to go through.
  {
    guard: and([{ type: "typedIntent", params: { intents: ["check"] } }, "noOfferTold", "qaSure"]),
    actions: "answerQa",
    target: "#main.qa.answered",
    reenter: true,
  },
  {
    guard: { type: "typedIntent", params: { intents: ["check"] } },
    actions: "carryTyped",
    target: "#main.check",
    reenter: true,
  },
  // A question without a sure answer while a report from their words is on offer: kept on offer.
  {
    guard: and(["storyOffered", { type: "typedIntent", params: { intents: ["question"] } }]),
    actions: "answerOrNextStep",
  },
  {
    guard: and([{ type: "typedIntent", params: { intents: ["question"] } }, "qaHit"]),
    actions: "answerQa",
    target: "#main.qa.answered",
    reenter: true,
  },
  {
    guard: { type: "typedIntent", params: { intents: ["emergency"] } },
    actions: ["showEmergency", "reprompt"],
  },
  { guard: { type: "typedIntent", params: { intents: ["delete"] } }, actions: "offerDelete" },
  { guard: "qaHit", actions: "answerQa", target: "#main.qa.answered", reenter: true },
  // Not understood while a report from their words is on offer ("sy harus gimana"): what to do now,
  // and the offer again, instead of dropping what they told.
  { guard: and(["storyOffered", "isText"]), actions: "offerNextStep" },
  { guard: "isText", actions: "socialReply", target: "#main.menu", reenter: true },
] as const;

type StateConfig = { on?: Record<string, unknown>; states?: Record<string, StateConfig> };

/** Puts {@link FRONT_DOOR} in front of the `user.message` transitions of `config` and all its descendants. */
export function withFrontDoor<T>(config: T): T {
  const walk = (node: StateConfig): StateConfig => {
    const on = { ...(node.on ?? {}) };
    const own = on["user.message"];
    const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
    on["user.message"] = [...FRONT_DOOR, ...list];
    const out: StateConfig = { ...node, on };
    if (node.states) {
      out.states = Object.fromEntries(Object.entries(node.states).map(([k, v]) => [k, walk(v)]));
    }
    return out;
  };
  return walk(config as StateConfig) as T;
}
