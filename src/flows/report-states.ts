import { and, not } from "xstate";
import { choice, enter, explain, mainSetup, say } from "./main-setup.ts";
import { ACCEPTS_FILES } from "./message.ts";

/** The anonymous report, step by step (DOMAIN's questions; review, edit and confirm at the end). */
export const reportStates = mainSetup.createStateConfig({
  initial: "situation",
  states: {
    /** Entry point of a report pre-filled from the safe-migration check. */
    prefilled: { always: [{ guard: "countryKnown", target: "city" }, { target: "country" }] },
    /** Entry point of a report started from a typed story: ask only what the story did not tell. */
    fromStory: {
      always: [{ guard: not("situationKnown"), target: "situation" }, { target: "afterSituation" }],
    },
    situation: {
      entry: enter("report.situation"),
      on: {
        "user.message": [
          {
            guard: "dangerSituation",
            actions: ["recordSituation", "dangerGuidance"],
            target: "afterSituation",
          },
          { guard: "offered", actions: "recordSituation", target: "afterSituation" },
        ],
      },
    },
    afterSituation: {
      always: [
        { guard: and(["countryKnown", "cityKnown"]), target: "location" },
        { guard: "countryKnown", target: "city" },
        { target: "country" },
      ],
    },
    country: {
      entry: enter("report.country"),
      on: {
        "user.message": [
          {
            guard: and(["freeText", not("storyKept")]),
            actions: { type: "recordText", params: { field: "country" } },
            target: "afterSituation",
          },
          { guard: "offered", actions: "recordCountryChoice", target: "city" },
        ],
      },
    },
    city: {
      entry: enter("report.city"),
      on: {
        "user.message": [
          {
            guard: and(["freeText", not("storyKept")]),
            actions: { type: "recordText", params: { field: "city" } },
            target: "location",
          },
          {
            guard: choice("skip"),
            actions: { type: "clearField", params: { field: "city" } },
            target: "location",
          },
        ],
      },
    },
    location: {
      entry: enter("report.location"),
      on: {
        "user.message": [
          { guard: "location", actions: "recordLocation", target: "afterWhere" },
          {
            guard: choice("skip"),
            actions: { type: "clearField", params: { field: "location" } },
            target: "afterWhere",
          },
          /** Typed instead of a shared location: a place name becomes the city, a story stays in the story. */
          { guard: "freeText", actions: "recordTypedPlace", target: "afterWhere" },
        ],
      },
    },
    afterWhere: { always: [{ guard: "editing", target: "review" }, { target: "when" }] },
    when: {
      entry: enter("report.when"),
      on: {
        "user.message": [
          { guard: "freeText", actions: { type: "recordText", params: { field: "when" } }, target: "people" },
          { guard: choice("now"), actions: ["recordWhenChoice", "dangerGuidance"], target: "people" },
          { guard: "offered", actions: "recordWhenChoice", target: "people" },
        ],
      },
    },
    people: {
      entry: enter("report.people"),
      on: { "user.message": { guard: "peopleOrOffered", actions: "recordPeople", target: "minors" } },
    },
    minors: {
      entry: enter("report.minors"),
      on: {
        "user.message": {
          guard: "offered",
          actions: { type: "recordYnu", params: { field: "minorsInvolved" } },
          target: "danger",
        },
      },
    },
    danger: {
      entry: enter("report.danger"),
      on: {
        "user.message": [
          {
            guard: choice("yes"),
            actions: [{ type: "recordYnu", params: { field: "dangerNow" } }, "dangerGuidance"],
            target: "confined",
          },
          {
            guard: choice("unsure"),
            actions: [{ type: "recordYnu", params: { field: "dangerNow" } }, "dangerGuidance"],
            target: "confined",
          },
          {
            guard: "offered",
            actions: { type: "recordYnu", params: { field: "dangerNow" } },
            target: "confined",
          },
        ],
      },
    },
    confined: {
      entry: enter("report.confined"),
      on: {
        "user.message": [
          {
            guard: choice("yes"),
            actions: [{ type: "recordBool", params: { field: "confined" } }, "dangerGuidance"],
            target: "toPassport",
          },
          {
            guard: "offered",
            actions: { type: "recordBool", params: { field: "confined" } },
            target: "toPassport",
          },
        ],
      },
    },
    /** Passport and forced work are not asked when the story already said so. */
    toPassport: { always: [{ guard: "passportKnown", target: "toForced" }, { target: "passport" }] },
    passport: {
      entry: enter("report.passport"),
      on: {
        "user.message": [
          {
            guard: choice("yes"),
            actions: [{ type: "recordBool", params: { field: "passportWithheld" } }, "dangerGuidance"],
            target: "toForced",
          },
          {
            guard: "offered",
            actions: { type: "recordBool", params: { field: "passportWithheld" } },
            target: "toForced",
          },
        ],
      },
    },
    toForced: { always: [{ guard: "forcedKnown", target: "afterForced" }, { target: "forced" }] },
    forced: {
      entry: enter("report.forced"),
      on: {
        "user.message": {
          guard: "offered",
          actions: { type: "recordBool", params: { field: "forcedWorkOrDebt" } },
          target: "afterForced",
        },
      },
    },
    afterForced: { always: [{ guard: "departureKnown", target: "narrative" }, { target: "departure" }] },
    departure: {
      entry: enter("report.departure"),
      on: {
        "user.message": {
          guard: "offered",
          actions: { type: "recordBool", params: { field: "departureWithin72h" } },
          target: "narrative",
        },
      },
    },
    narrative: {
      entry: enter("report.narrative"),
      on: {
        "user.message": [
          { guard: "endsStory", target: "afterNarrative" },
          { guard: choice("rewrite"), actions: ["resetNarrative", "reprompt"] },
          { guard: "freeText", actions: ["appendNarrative", "touchTimer", "reprompt"] },
          { guard: "offered", target: "afterNarrative" },
        ],
      },
    },
    afterNarrative: {
      entry: "recruiterFromStory",
      always: [
        { guard: "editing", target: "review" },
        { guard: "recruiterKnown", target: "evidence" },
        { target: "recruiter" },
      ],
    },
    recruiter: {
      entry: enter("report.recruiter"),
      on: {
        "user.message": [
          {
            guard: "freeText",
            actions: { type: "recordText", params: { field: "recruiter" } },
            target: "afterRecruiter",
          },
          {
            guard: choice("skip"),
            actions: { type: "clearField", params: { field: "recruiter" } },
            target: "afterRecruiter",
          },
        ],
      },
    },
    afterRecruiter: { always: [{ guard: "editing", target: "review" }, { target: "evidence" }] },
    evidence: {
      tags: [ACCEPTS_FILES],
      entry: enter("report.evidence"),
      on: {
        "user.message": [
          { guard: and(["media", "evidenceRoom"]), actions: ["addEvidence", "touchTimer", "reprompt"] },
          { guard: "media", actions: "reprompt" },
          { guard: "offered", target: "consent" },
          // "ya" to "do you have a photo or document?": how to send it, and the question stays.
          { guard: "typedYes", actions: explain("report.evidence.send_now") },
        ],
      },
    },
    consent: {
      entry: enter("report.consent"),
      on: {
        "user.message": {
          guard: "offered",
          actions: { type: "recordBool", params: { field: "consentContact" } },
          target: "review",
        },
      },
    },
    review: {
      entry: [{ type: "setEditing", params: { value: false } }, enter("report.review")],
      on: {
        "user.message": [
          { guard: choice("confirm"), actions: "submitReport", target: "submitting" },
          {
            guard: choice("edit_story"),
            actions: { type: "setEditing", params: { value: true } },
            target: "narrative",
          },
          {
            guard: choice("edit_recruiter"),
            actions: { type: "setEditing", params: { value: true } },
            target: "recruiter",
          },
          {
            guard: choice("edit_where"),
            actions: { type: "setEditing", params: { value: true } },
            target: "country",
          },
          { guard: choice("restart"), actions: ["restartReport", say("report.intro")], target: "situation" },
          { guard: choice("cancel"), target: "#main.menu" },
        ],
      },
    },
    submitting: {
      entry: enter("report.submitting"),
      on: {
        "report.stored": { actions: "showStored", target: "#main.menu" },
        "report.failed": { target: "failed" },
        "report.limited": { actions: [say("report.limited"), "keepForTomorrow"], target: "#main.menu" },
      },
    },
    failed: {
      entry: enter("report.failed"),
      on: { "user.message": { guard: choice("retry"), actions: "submitReport", target: "submitting" } },
    },
  },
});
