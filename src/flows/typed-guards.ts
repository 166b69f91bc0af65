import * as check from "./check-effects.ts";
import * as checkStory from "./check-story.ts";
import { freeText, inbound } from "./inbound.ts";
import type { MainContext } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";
import * as pending from "./pending-effects.ts";
import * as answers from "./typed-answers.ts";
import * as typed from "./typed-effects.ts";
import { asksToReport } from "./understand/report-words.ts";
import { CONFIDENT, has } from "./understand/understand.ts";

/**
 * The guards that read typed text (danger, intent, a story, a question with an answer), spread into
 * the main machine's `setup` (main-setup.ts) and used by the front door (front-door.ts).
 */

type GuardArgs = { context: MainContext; event: FlowEvent };

export const typedGuards = {
  needsFrontDoor: ({ context, event }: GuardArgs) => typed.needsFrontDoor(context, event),
  dangerTyped: ({ event }: GuardArgs) => {
    const u = typed.read(event);
    return u !== undefined && has(u, "danger_now");
  },
  typedIntent: ({ event }: GuardArgs, params: { intents: readonly string[] }) =>
    typed.intentIs(event, params.intents),
  isStory: ({ event }: GuardArgs) => typed.isStory(event),
  typedInFlow: ({ context, event }: GuardArgs) => inbound(event)?.type === "text" && typed.inFlow(context),
  inReport: ({ context }: GuardArgs) => context.step.startsWith("report."),
  /** Typed text that asks to report ("lapor aja", "how do I report"), not declines it. */
  asksToReport: ({ event }: GuardArgs) => {
    const text = typed.typedText(event);
    return text !== undefined && asksToReport(text) === "report";
  },
  /** A typed task other than the flow the person is in (a check asked for in the middle of a report…). */
  otherFlow: ({ context, event }: GuardArgs) => {
    const u = typed.read(event);
    if (!u || u.confidence < CONFIDENT) return false;
    const flow = context.step.split(".")[0];
    // Talk of recruiters and offers belongs in a report; only a report code leads out of one.
    if (flow === "report") return u.intent === "status";
    return u.intent !== flow;
  },
  /** Typed text that asks for something other than an answer: a code, danger, a story, an offer, numbers. */
  routedElsewhere: ({ event }: GuardArgs) => {
    const u = typed.read(event);
    if (!u) return false;
    if (u.code || has(u, "danger_now")) return true;
    return (
      u.confidence >= CONFIDENT && ["status", "report", "check", "emergency", "delete"].includes(u.intent)
    );
  },
  storyKept: ({ context, event }: GuardArgs) => typed.storyAtReportQuestion(context, event),
  /** "katanya gajinya 12 juta" typed at a check question: told about the offer, not the answer. */
  tellsCheck: ({ context, event }: GuardArgs) => checkStory.tellsCheck(context, event),
  /** "takut bgt" typed where a short answer is asked: a feeling, not the answer. */
  feelingOnly: ({ context, event }: GuardArgs) => answers.onlyFeeling(context, event),
  /** A few words with a feeling and nothing told, anywhere ("takut bgt" after telling a story). */
  feelingTyped: ({ event }: GuardArgs) => answers.isFeeling(event),
  /** "sy gk tau hrs gmn": lost, asking where to start. */
  lostTyped: ({ event }: GuardArgs) => answers.isLost(event),
  /** "ya" typed where a place is asked. */
  bareAnswerForPlace: ({ context, event }: GuardArgs) => answers.bareAnswerForPlace(context, event),
  /** A step that stores the typed words as its answer (a place, a time, a name, a job). */
  atWordsStep: ({ context }: GuardArgs) => answers.wordsStep(context),
  /** A question typed where words are asked: answered, not stored as the answer. */
  asksInstead: ({ context, event }: GuardArgs) => answers.asksInstead(context, event),
  /** A confident request to delete the conversation ("hapus chat ini", "tolong hapus semua chat sy"). */
  asksToDelete: ({ context, event }: GuardArgs) => {
    // Where the person tells what happened, "he made me delete the chats" is part of it.
    if (["report.narrative", "status.answer", "status.add"].includes(context.step)) return false;
    const u = typed.read(event);
    return u !== undefined && u.intent === "delete" && u.confidence >= CONFIDENT;
  },
  /** "ya" or "2" typed where a name or a job is asked. */
  bareAnswerForWords: ({ context, event }: GuardArgs) => answers.bareAnswerForWords(context, event),
  /** A typed offer check that tells none of the offer's details (so a question it asks can be answered). */
  noOfferTold: ({ event }: GuardArgs) => Object.keys(pending.carryFrom(event).check ?? {}).length === 0,
  /** A typed question with a confident answer (asked in the middle of a flow, answered inline). */
  qaSure: ({ context, event }: GuardArgs) => {
    const q = freeText(event);
    return q !== undefined && check.qaSure(context.lang, q);
  },
  /** A report from the person's own words is on offer (a story told, or danger typed). */
  storyOffered: ({ context }: GuardArgs) =>
    context.pending?.kind === "story" || context.pending?.kind === "danger",
  qaHit: ({ context, event }: GuardArgs) => check.searchTyped(context.lang, freeText(event) ?? "").length > 0,
};
