import { mainMachine } from "./main-machine.ts";

/** The one list of flows the engine runs, with the version stored next to each snapshot. */
export const MAIN_FLOW_ID = "main";
export const MAIN_FLOW_VERSION = 2;

export const flows = {
  [MAIN_FLOW_ID]: { machine: mainMachine, version: MAIN_FLOW_VERSION },
} as const;

export type FlowId = keyof typeof flows;

/** The flow a new conversation starts in. */
export const entryFlowId: FlowId = MAIN_FLOW_ID;
