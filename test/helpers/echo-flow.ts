import { assign, emit, setup } from "xstate";
import type { FlowEvent, FlowOutput } from "../../src/flows/message.ts";

/**
 * A small real flow for engine tests: counts messages, asks for durable timers, submits a fake
 * report and can be told to fail. It follows the same rules as the product flows.
 */
export const echoMachine = setup({
  types: {
    context: {} as {
      count: number;
      lang: "id" | "en";
      timerToken: string | null;
      timers: number;
      seen: string[];
    },
    events: {} as FlowEvent,
    emitted: {} as FlowOutput,
    input: {} as { lang?: "id" | "en" },
  },
  guards: {
    isText: ({ event }, word: string) =>
      event.type === "user.message" && event.message.type === "text" && event.message.text === word,
    tokenMatches: ({ context, event }) => event.type === "timer.fired" && event.token === context.timerToken,
  },
}).createMachine({
  id: "echo",
  context: ({ input }) => ({ count: 0, lang: input?.lang ?? "id", timerToken: null, timers: 0, seen: [] }),
  initial: "chatting",
  states: {
    chatting: {
      on: {
        "user.message": [
          {
            guard: { type: "isText", params: "timer" },
            actions: [
              assign({
                timers: ({ context }) => context.timers + 1,
                timerToken: ({ context }) => `t-${context.timers + 1}`,
              }),
              emit(
                ({ context }) =>
                  ({ type: "schedule", name: "ping", delayMs: 1500, token: context.timerToken! }) as const,
              ),
              emit({ type: "reply", message: { type: "text", text: "timer set" } }),
            ],
          },
          {
            // Two named timers: "a" after a delay, "b" at an absolute time; "cancel a" cancels the first.
            guard: { type: "isText", params: "timers" },
            actions: [
              emit({ type: "schedule", name: "a", delayMs: 1000 }),
              emit(
                () =>
                  ({ type: "schedule", name: "b", at: new Date(Date.now() + 1200).toISOString() }) as const,
              ),
              emit({ type: "reply", message: { type: "text", text: "timers set" } }),
            ],
          },
          {
            guard: { type: "isText", params: "cancel a" },
            actions: [
              emit({ type: "timer.cancel", name: "a" }),
              emit({ type: "reply", message: { type: "text", text: "a cancelled" } }),
            ],
          },
          {
            guard: { type: "isText", params: "crash" },
            actions: () => {
              throw new Error("boom");
            },
          },
          {
            guard: { type: "isText", params: "choices" },
            actions: emit({
              type: "reply",
              message: {
                type: "text",
                text: "pick one",
                choices: Array.from({ length: 11 }, (_, i) => ({
                  id: `opt-${i + 1}`,
                  label: `Option ${i + 1}`,
                })),
              },
            }),
          },
          {
            guard: { type: "isText", params: "submit" },
            actions: emit({ type: "report.submitted", report: { fake: true } }),
          },
          {
            guard: { type: "isText", params: "hapus" },
            actions: [
              emit({ type: "conversation.delete" }),
              emit({ type: "reply", message: { type: "text", text: "deleted" } }),
            ],
          },
          {
            actions: [
              assign({
                count: ({ context }) => context.count + 1,
                seen: ({ context, event }) => [...context.seen, describe(event)],
              }),
              emit(
                ({ context, event }) =>
                  ({
                    type: "reply",
                    message: { type: "text", text: `#${context.count} ${describe(event)}` },
                  }) as const,
              ),
            ],
          },
        ],
        "report.stored": {
          actions: emit(({ event }) => ({
            type: "reply" as const,
            message: { type: "text" as const, text: `stored ${event.code}` },
          })),
        },
        "timer.fired": [
          {
            guard: "tokenMatches",
            actions: [
              assign({ timerToken: null }),
              emit({ type: "reply", message: { type: "text", text: "timer fired" } }),
            ],
          },
          {
            // Named timers without a token of their own: the engine alone keeps stale firings out.
            guard: ({ event }) => event.type === "timer.fired" && event.name !== "ping",
            actions: emit(({ event }) => ({
              type: "reply" as const,
              message: {
                type: "text" as const,
                text: `fired ${event.type === "timer.fired" ? event.name : ""}`,
              },
            })),
          },
        ],
      },
    },
  },
});

function describe(event: FlowEvent): string {
  if (event.type !== "user.message") return event.type;
  const m = event.message;
  if (m.type === "text") return m.text;
  if (m.type === "choice") return `choice:${m.id}`;
  if (m.type === "command") return `command:${m.command}`;
  return m.type;
}
