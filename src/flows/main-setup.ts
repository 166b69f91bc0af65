import { raise, setup } from "xstate";
import * as check from "./check-effects.ts";
import * as checkStory from "./check-story.ts";
import { checkinActions, checkinGuards, forgetCheckins } from "./checkin-setup.ts";
import { t } from "./content/catalog.ts";
import * as draft from "./draft-effects.ts";
import { chosen, type Effect, fx, promptOutputs, reply } from "./effects.ts";
import { fileNotAsked, freeText, inbound, wantsLanguage, wantsMenu } from "./inbound.ts";
import { clip } from "./limits.ts";
import { IDLE_MS, initialContext, type MainContext } from "./main-context.ts";
import type { Command, FlowEvent, FlowOutput } from "./message.ts";
import { checkQuestions } from "./migration-check.ts";
import * as pending from "./pending-effects.ts";
import { MAX_EVIDENCE, text } from "./prompts.ts";
import * as report from "./report-effects.ts";
import * as status from "./status-effects.ts";
import * as answers from "./typed-answers.ts";
import * as typed from "./typed-effects.ts";
import { typedGuards } from "./typed-guards.ts";

/** What to do now, while a report from the person's words is on offer: the numbers for where, the offer. */
function nextStep(context: MainContext): FlowOutput[] {
  return [
    reply(typed.dangerGuidance(context.lang, context.where ?? null)),
    ...(pending.offerAgain(context, "typed.story.next").outputs ?? []),
  ];
}

/**
 * The typed `setup` of the main machine: context, events, emitted outputs, and every named guard
 * and action. State configs in the `*-states.ts` files are built with `mainSetup.createStateConfig`.
 * Actions are pure effect functions (see `effects.ts`).
 */
export const mainSetup = setup({
  types: { context: {} as MainContext, events: {} as FlowEvent, emitted: {} as FlowOutput },
  guards: {
    ...checkinGuards,
    ...typedGuards,
    /** The user tapped a choice the current step offers. */
    offered: ({ context, event }) => chosen(context, event) !== undefined,
    choice: ({ context, event }, params: { value: string }) => chosen(context, event) === params.value,
    /** A related Q&A question (`r0`, `r1`) or an officer question (`q0`…) among the offered choices. */
    choicePrefix: ({ context, event }, params: { prefix: string }) =>
      chosen(context, event)?.startsWith(params.prefix) ?? false,
    /** Typed text for a free-text step: not a global keyword and not one of the step's options typed out. */
    freeText: ({ context, event }) => freeText(event) !== undefined && chosen(context, event) === undefined,
    /** The answer to the question laid over the step (`pending`), tapped or typed. */
    pending: ({ context, event }, params: { kind: string; value: string }) =>
      context.pending?.kind === params.kind && pending.pendingAnswer(context, event) === params.value,
    leaveTo: ({ context }, params: { to: string }) =>
      context.pending?.kind === "leave" && context.pending.to === params.to,
    /** Forced work, a child or forced scam work chosen as what happened: the numbers come at once. */
    dangerSituation: ({ context, event }) =>
      ["held_or_forced_work", "child_involved", "scam_compound"].includes(chosen(context, event) ?? ""),
    hasDraft: ({ context }) =>
      (context.step.startsWith("report.") && context.report !== null && typed.inFlow(context)) ||
      (context.step.startsWith("check.q.") && Object.keys(context.check?.answers ?? {}).length > 0),
    langChosen: ({ context }) => context.langChosen,
    pausedAt: ({ context }, params: { step: string }) => context.step === params.step,
    checkPaused: ({ context }) => context.step.startsWith("check.q.") && context.check !== null,
    hasPaused: ({ context }) => (context.paused ?? null) !== null,
    situationKnown: ({ context }) => context.report?.situation !== undefined,
    cityKnown: ({ context }) => context.report?.city !== undefined,
    statusCodeKnown: ({ context }) => (context.status?.code ?? null) !== null,
    statusPinTyped: ({ context, event }) => !!context.status?.code && status.typedPin(event) !== undefined,
    checkDone: ({ context }) => (context.check?.index ?? 0) >= checkQuestions.length,
    media: ({ event }) => inbound(event)?.type === "media",
    location: ({ event }) => inbound(event)?.type === "location",
    isChoice: ({ event }) => inbound(event)?.type === "choice",
    isText: ({ event }) => inbound(event)?.type === "text",
    isUnsupported: ({ event }) => inbound(event)?.type === "unsupported",
    fileNotAsked: ({ event }) => fileNotAsked(event),
    wantsMenu: ({ event }) => wantsMenu(event),
    wantsLanguage: ({ event }) => wantsLanguage(event),
    command: ({ event }, params: { command: Command }) =>
      event.type === "user.message" &&
      event.message.type === "command" &&
      event.message.command === params.command,
    timerMatches: ({ context, event }) =>
      event.type === "timer.fired" &&
      event.name === "idle" &&
      context.timerToken !== null &&
      event.token === context.timerToken,
    editing: ({ context }) => context.editing,
    countryKnown: ({ context }) => context.report?.country !== undefined,
    recruiterKnown: ({ context }) => context.report?.recruiter !== undefined,
    endsStory: ({ event }) => report.endsStory(event),
    typedYes: ({ event }) => report.typedYes(event),
    departureKnown: ({ context }) => context.report?.departureWithin72h !== undefined,
    passportKnown: ({ context }) => context.report?.passportWithheld !== undefined,
    forcedKnown: ({ context }) => context.report?.forcedWorkOrDebt !== undefined,
    evidenceRoom: ({ context }) => (context.report?.evidenceRefs.length ?? 0) < MAX_EVIDENCE,
    peopleOrOffered: ({ context, event }) =>
      report.peopleNumber(event) !== undefined || chosen(context, event) !== undefined,
    wasAnswering: ({ context }) => (context.status?.answering ?? null) !== null,
    answersCheck: ({ context, event }) => check.answersCheck(context, event),
    asksCheckResult: ({ context, event }) => check.asksCheckResult(context, event),
    checkResultDue: ({ context }) => check.checkResultDue(context),
    lastCheckQuestion: ({ context }) => {
      const c = context.check ?? { index: 0, answers: {} };
      const id = checkQuestions[c.index]?.id ?? "";
      return draft.nextUnanswered({ ...c.answers, [id]: "answered" }, c.index + 1) >= checkQuestions.length;
    },
    restarting: ({ event }, params: { flow: string }) =>
      event.type === "flow.restart" && event.flow === params.flow,
    statusOk: ({ event }) => event.type === "status.result" && event.result.ok,
    appendedOk: ({ event }) => event.type === "case.appended" && event.ok,
  },
  actions: {
    ...checkinActions,
    /** Makes `step` current: remembers it, renews the idle timer inside a flow, and shows its prompt. */
    enterStep: fx<{ step: string }>((context, _e, p) => enterStep(context, p.step)),
    enterCheckQuestion: fx((context) => enterStep(context, check.checkStep(context))),
    noteCheckStory: fx(checkStory.noteCheckStory),
    /** Enters the menu: every draft is dropped and no pending timer counts any more. */
    enterMenu: fx((context) => {
      const next: MainContext = {
        ...context,
        step: "menu",
        quiet: false,
        timerToken: null,
        report: null,
        editing: false,
        check: null,
        status: null,
        qa: null,
        pending: null,
        carry: null,
      };
      return { patch: next, outputs: context.quiet ? [] : promptOutputs(next) };
    }),
    /** Renews the idle timer while the user keeps adding to the same step. */
    touchTimer: fx((context) => {
      const { outputs: _prompt, ...rest } = enterStep(context, context.step);
      return { ...rest, outputs: rest.patch?.timerToken ? [schedule(rest.patch.timerToken)] : [] };
    }),
    /** A restarted flow's context slice back to its start; what was laid over the step goes too. */
    resetFlow: fx<{ owns: readonly (keyof MainContext)[] }>((_c, _e, p) => {
      const initial = initialContext();
      return {
        patch: { pending: null, carry: null, ...Object.fromEntries(p.owns.map((k) => [k, initial[k]])) },
      };
    }),
    goQuiet: fx(() => ({ patch: { quiet: true, paused: null } })),
    /** Raises the message again, marked as seen by the front door, for the step to take. */
    reraise: raise(({ event }) => (event.type === "user.message" ? { ...event, front: true } : event)),
    frontDoor: fx(typed.frontDoor),
    firstContact: fx(typed.firstContact),
    offerStory: fx(pending.offerStory),
    offerDanger: fx(pending.offerDanger),
    offerLeave: fx((c, e) => pending.offerLeave(c, e)),
    offerLeaveMenu: fx((c, e) => pending.offerLeave(c, e, "menu")),
    offerLeaveStatus: fx((c, e) => pending.offerLeave(c, e, "status")),
    offerLeaveReport: fx((c, e) => pending.offerLeave(c, e, "report")),
    offerDelete: fx(pending.offerDelete),
    offerLanguage: fx(pending.offerLanguage),
    reportFromStory: fx(typed.reportFromStory),
    carryTyped: fx(pending.carryTyped),
    carryPending: fx(pending.carryPending),
    pauseDraft: fx(draft.pauseDraft),
    keepForTomorrow: fx(draft.keepForTomorrow),
    resumeDraft: fx(draft.resumeDraft),
    socialReply: fx(answers.socialReply),
    clearPending: fx(() => ({ patch: { pending: null } })),
    dropDrafts: fx(() => ({ patch: { report: null, check: null, status: null, editing: false } })),
    setLanguage: fx<{ lang: "id" | "en" }>((_c, _e, p) => ({
      patch: { lang: p.lang, langChosen: true, langFromText: false },
    })),
    answerQaInline: fx(check.answerQaInline),
    answerOrLater: fx(check.answerOrLater),
    /** "sy harus gimana" with a report on offer: the numbers for where it is, and the offer again. */
    offerNextStep: fx((context) => ({ outputs: nextStep(context) })),
    offerStill: fx((context) => pending.offerAgain(context)),
    /** "takut bgt" while a report from their words is on offer: a kind word, and the offer again. */
    feelingKeepingOffer: fx((context) => ({
      outputs: [
        reply(text(t(context.lang, "typed.feeling"))),
        ...(pending.offerAgain(context, "typed.story.next").outputs ?? []),
      ],
    })),
    /**
     * A question without a sure answer while a report from the story is on offer ("what is the number
     * again?"): its answer when there is one, else the numbers for where it happens; the offer again.
     */
    answerOrNextStep: fx((context, event) => {
      const answer = check.answerQa(context, event).outputs ?? [];
      if (answer.length === 0) return { outputs: nextStep(context) };
      return { outputs: [...answer, ...(pending.offerAgain(context).outputs ?? [])] };
    }),
    /** The answer to a typed question, with the offer of a report from the story still standing. */
    answerKeepingOffer: fx((context, event) => ({
      outputs: [
        ...(check.answerQa(context, event).outputs ?? []),
        ...(pending.offerAgain(context).outputs ?? []),
      ],
    })),
    reprompt: fx((context) => ({
      patch: { pending: null },
      outputs: promptOutputs({ ...context, pending: null }),
    })),
    /** A short notice, then the current step again (expired button, unreadable message…). */
    explain: fx<{ key: string }>((context, _e, p) => ({
      outputs: [reply(text(t(context.lang, p.key))), ...promptOutputs(context)],
    })),
    say: fx<{ key: string }>((context, _e, p) => ({ outputs: [reply(text(t(context.lang, p.key)))] })),
    chooseLanguage: fx((context, event) => {
      const lang = chosen(context, event) === "en" ? "en" : "id";
      // First contact: who this is, that it is not the police, and 110 first (the same words as a typed start).
      const privacy = context.langChosen ? [] : [reply(text(t(lang, "typed.intro")))];
      return { patch: { lang, langChosen: true, langFromText: false }, outputs: privacy };
    }),
    showEmergency: fx((context, event) => {
      const checked = t(context.lang, "emergency.checked");
      const u = typed.read(event);
      const where = u && u.where !== "unknown" ? u.where : (context.where ?? null);
      const list = reply(text(t(context.lang, "emergency.list", { checked })));
      return { outputs: where ? [reply(typed.dangerGuidance(context.lang, where)), list] : [list] };
    }),
    /** A pushed officer question or status change; the current step stays as it is. */
    showCaseUpdate: fx((context, event) => {
      if (event.type !== "case.update") return {};
      const body = t(context.lang, "common.update", {
        code: clip(event.code, 40),
        text: clip(event.text, 3000),
      });
      return { outputs: [reply(text(body)), ...(context.step === "start" ? [] : promptOutputs(context))] };
    }),
    deleteConversation: fx((context) => ({
      patch: initialContext(),
      outputs: [
        ...forgetCheckins(),
        { type: "conversation.delete" },
        reply(text(t(context.lang, "menu.delete.done"))),
        reply({ type: "end" }),
      ],
    })),
    setEditing: fx<{ value: boolean }>((_c, _e, p) => ({ patch: { editing: p.value } })),
    startReport: fx(report.startReport),
    startReportFromCheck: fx(report.startReportFromCheck),
    restartReport: fx(report.startReport),
    resetNarrative: fx(report.resetNarrative),
    recordSituation: fx(report.recordSituation),
    recordYnu: fx(report.recordYnu),
    recordBool: fx(report.recordBool),
    recordText: fx(report.recordText),
    clearField: fx(report.clearField),
    recordCountryChoice: fx(report.recordCountryChoice),
    recordWhenChoice: fx(report.recordWhenChoice),
    recordPeople: fx(report.recordPeople),
    recordLocation: fx(report.recordLocation),
    recordTypedPlace: fx(report.recordTypedPlace),
    appendNarrative: fx(report.appendNarrative),
    recruiterFromStory: fx(report.recruiterFromStory),
    addEvidence: fx(report.addEvidence),
    dangerGuidance: fx(report.dangerGuidance),
    submitReport: fx(report.submitReport),
    showStored: fx(report.showStored),
    startCheck: fx(check.startCheck),
    recordCheckAnswer: fx(check.recordCheckAnswer),
    showCheckResult: fx(check.showCheckResult),
    peekCheckResult: fx(check.peekCheckResult),
    showCheckDetail: fx(check.showCheckDetail),
    answerQa: fx(check.answerQa),
    answerRelated: fx(check.answerRelated),
    startStatus: fx(status.startStatus),
    recordCode: fx(status.recordCode),
    lookupStatus: fx(status.lookupStatus),
    storeCase: fx(status.storeCase),
    chooseQuestion: fx(status.chooseQuestion),
    appendAnswer: fx(status.appendAnswer),
    appendInfo: fx(status.appendInfo),
    appendResult: fx(status.appendResult),
  },
});

function enterStep(context: MainContext, step: string): Effect {
  const next: MainContext = { ...context, step, pending: null, introduced: false };
  const outputs: FlowOutput[] = [];
  if (/^(report|check|status)\./.test(step)) {
    next.timerSeq = context.timerSeq + 1;
    next.timerToken = `idle-${next.timerSeq}`;
    outputs.push(schedule(next.timerToken));
  }
  return {
    patch: { step, timerSeq: next.timerSeq, timerToken: next.timerToken, pending: null, introduced: false },
    outputs: [...outputs, ...promptOutputs(next)],
  };
}

function schedule(token: string): FlowOutput {
  return { type: "schedule", name: "idle", delayMs: IDLE_MS, token };
}

/** Shorthands for state configs. */
export const enter = (step: string) => ({ type: "enterStep", params: { step } }) as const;
export const explain = (key: string) => ({ type: "explain", params: { key } }) as const;
export const say = (key: string) => ({ type: "say", params: { key } }) as const;
export const choice = (value: string) => ({ type: "choice", params: { value } }) as const;
