import { defineFlow } from "./flow-module.ts";
import { say } from "./main-setup.ts";
import { reportStates } from "./report-states.ts";

/** Report steps that ask something; a kept report resumes at one of them. */
export const REPORT_STEPS = [
  "situation",
  "country",
  "city",
  "location",
  "when",
  "people",
  "minors",
  "danger",
  "confined",
  "passport",
  "forced",
  "departure",
  "narrative",
  "recruiter",
  "evidence",
  "consent",
  "review",
] as const;

/** The anonymous report as a flow of the registry. */
export const reportFlow = defineFlow({
  id: "report",
  version: 1,
  states: { report: reportStates },
  start: { target: "#main.report", actions: ["startReport", say("report.intro")] },
  owns: ["report", "editing"],
  pausable: true,
});
