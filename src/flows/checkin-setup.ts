import * as checkin from "./checkin-effects.ts";
import * as family from "./checkin-family.ts";
import { fx } from "./effects.ts";
import type { CheckinDraft, MainContext } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";

export { forgetCheckins } from "./checkin-effects.ts";

/** The check-in flow's named guards and actions, spread into the main machine's `setup` (main-setup.ts). */

type GuardArgs = { context: MainContext; event: FlowEvent };

export const checkinGuards = {
  /** A typed departure date the bot can read. */
  dateTyped: ({ event }: GuardArgs) => checkin.dateTyped(event),
  /** A check-in answer (tapped, or typed while a check-in waits). */
  answersCheckin: ({ context, event }: GuardArgs) => checkin.answersCheckin(context, event),
  /** The person's safe phrase (matched by the engine on its keyed hash). */
  safePhrase: ({ event }: GuardArgs) => event.type === "user.message" && event.safePhrase === true,
  /** A whole message that is a family code. */
  familyCodeTyped: ({ event }: GuardArgs) => family.typedFamilyCode(event) !== undefined,
  timerNamed: ({ event }: GuardArgs, params: { name: string }) =>
    event.type === "timer.fired" && event.name === params.name,
  familyFound: ({ event }: GuardArgs) => event.type === "checkin.family.info" && event.ok,
  checkinStarted: ({ event }: GuardArgs) => event.type === "checkin.started" && event.ok,
  hasCheckins: ({ context }: GuardArgs) => (context.checkins ?? null) !== null,
};

export const checkinActions = {
  recordCheckinDetail: fx<{ field: keyof CheckinDraft }>((c, e, p) => checkin.recordDetail(c, e, p.field)),
  recordCheckinDate: fx(checkin.recordDate),
  recordCheckinDays: fx<{ days: "default" | "light" }>((c, e, p) => checkin.recordDays(c, e, p.days)),
  startCheckins: fx<{ consent: boolean }>((c, e, p) => checkin.startCheckins(c, e, p.consent)),
  checkinsStarted: fx(checkin.checkinsStarted),
  askCheckin: fx(checkin.askCheckin),
  remindCheckin: fx(checkin.remindCheckin),
  missCheckin: fx(checkin.missCheckin),
  answerCheckin: fx(checkin.answerCheckin),
  safePhraseAlarm: fx(checkin.safePhraseAlarm),
  stopCheckins: fx(checkin.stopCheckins),
  clearCheckinDraft: fx(() => ({ patch: { checkin: null } })),
  linkFamily: fx(family.linkFamily),
  viewFamily: fx(family.viewFamily),
  storeFamily: fx(family.storeFamily),
  listPeople: fx(family.listPeople),
  storePeople: fx(family.storePeople),
  removePerson: fx(family.removePerson),
};
