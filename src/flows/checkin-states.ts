import { defineFlow } from "./flow-module.ts";
import { choice, enter, mainSetup } from "./main-setup.ts";

/**
 * Safe-departure check-ins. A worker gives the departure date, the destination country and city,
 * optionally the agency and the employer, a nickname for family, a schedule, an optional safe phrase
 * and whether officers may get a case; the engine stores them sealed and answers with a family code.
 * The timers then ask "are you OK?" (root transitions in main-machine.ts). A family member enters the
 * code here and sees only what the worker allowed.
 */
type Field = "country" | "city" | "agency" | "employer" | "nickname" | "safePhrase";
const detail = (field: Field) => ({ type: "recordCheckinDetail", params: { field } }) as const;
const typed = (field: Field, target: string) =>
  ({ guard: "freeText", actions: detail(field), target }) as const;
const skip = (target: string) => ({ guard: choice("skip"), target }) as const;

export const checkinStates = mainSetup.createStateConfig({
  initial: "hub",
  states: {
    hub: {
      entry: enter("checkin.hub"),
      on: {
        "user.message": [
          { guard: choice("start"), actions: "clearCheckinDraft", target: "date" },
          { guard: choice("code"), target: "code" },
          { guard: choice("view"), actions: "viewFamily", target: "linking" },
          { guard: choice("people"), actions: "listPeople", target: "listing" },
          { guard: choice("stop"), actions: "stopCheckins", target: "hub", reenter: true },
        ],
      },
    },
    date: {
      entry: enter("checkin.date"),
      on: {
        "user.message": [
          { guard: "dateTyped", actions: "recordCheckinDate", target: "country" },
          { guard: "freeText", actions: { type: "explain", params: { key: "checkin.date.invalid" } } },
        ],
      },
    },
    country: { entry: enter("checkin.country"), on: { "user.message": typed("country", "city") } },
    city: { entry: enter("checkin.city"), on: { "user.message": typed("city", "agency") } },
    agency: {
      entry: enter("checkin.agency"),
      on: { "user.message": [skip("employer"), typed("agency", "employer")] },
    },
    employer: {
      entry: enter("checkin.employer"),
      on: { "user.message": [skip("nickname"), typed("employer", "nickname")] },
    },
    nickname: { entry: enter("checkin.nickname"), on: { "user.message": typed("nickname", "schedule") } },
    schedule: {
      entry: enter("checkin.schedule"),
      on: {
        "user.message": [
          {
            guard: choice("default"),
            actions: { type: "recordCheckinDays", params: { days: "default" } },
            target: "phrase",
          },
          {
            guard: choice("light"),
            actions: { type: "recordCheckinDays", params: { days: "light" } },
            target: "phrase",
          },
        ],
      },
    },
    phrase: {
      entry: enter("checkin.phrase"),
      on: { "user.message": [skip("consent"), typed("safePhrase", "consent")] },
    },
    consent: {
      entry: enter("checkin.consent"),
      on: {
        "user.message": [
          {
            guard: choice("yes"),
            actions: { type: "startCheckins", params: { consent: true } },
            target: "starting",
          },
          {
            guard: choice("no"),
            actions: { type: "startCheckins", params: { consent: false } },
            target: "starting",
          },
        ],
      },
    },
    starting: {
      entry: enter("checkin.starting"),
      on: {
        "checkin.started": [
          { guard: "checkinStarted", actions: "checkinsStarted", target: "done" },
          { actions: { type: "say", params: { key: "checkin.failed" } }, target: "hub" },
        ],
      },
    },
    /** The family code and the first check-in date. */
    done: {
      entry: enter("checkin.done"),
      on: { "user.message": { guard: choice("people"), actions: "listPeople", target: "listing" } },
    },
    /** A family member enters the code a worker gave them. */
    code: {
      entry: enter("checkin.code"),
      on: { "user.message": { guard: "freeText", actions: "linkFamily", target: "linking" } },
    },
    linking: {
      entry: enter("checkin.linking"),
      on: {
        "checkin.family.info": [
          { guard: "familyFound", actions: "storeFamily", target: "linked" },
          { target: "failed" },
        ],
      },
    },
    linked: { entry: enter("checkin.linked") },
    failed: {
      entry: enter("checkin.failed"),
      on: { "user.message": { guard: choice("retry"), target: "code" } },
    },
    listing: {
      entry: enter("checkin.listing"),
      on: { "checkin.people.listed": { actions: "storePeople", target: "people" } },
    },
    /** The worker's linked people, each with a "remove" option. */
    people: {
      entry: enter("checkin.people"),
      on: {
        "user.message": [
          {
            guard: { type: "choicePrefix", params: { prefix: "rm" } },
            actions: "removePerson",
            target: "listing",
          },
          { guard: choice("back"), target: "hub" },
        ],
      },
    },
  },
});

/** Check-ins as a flow of the registry. */
export const checkinFlow = defineFlow({
  id: "checkin",
  version: 1,
  states: { checkin: checkinStates },
  start: { target: "#main.checkin" },
  owns: ["checkin", "family"],
});
