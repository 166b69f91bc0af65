import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { validateOutbound } from "../../src/flows/limits.ts";
import { commandSchema, type FlowEvent, type InboundMessage } from "../../src/flows/message.ts";
import { FLOWS } from "../../src/flows/registry.ts";
import { reportSchema } from "../../src/flows/report.ts";
import { has, understand } from "../../src/flows/understand/understand.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";
import { loadCorpus } from "../helpers/understand-eval.ts";

/** Realistic typed messages (the labelled corpus) and everyday answers, mixed into random walks. */
const TYPED = [
  ...loadCorpus().map((e) => e.text),
  ..."ya|iya|yoi|gak|tdk|belum|gak tau|not sure|lapor|cek status|selesai|lewati|batal|menu|bahasa|1|2.|3".split(
    "|",
  ),
];
const DANGER = new Set(TYPED.filter((text) => has(understand(text), "danger_now")));

const knownChoiceIds = [
  "language:id",
  "language:en",
  "menu:check",
  "menu:report",
  "menu:qa",
  "menu:status",
  "menu:emergency",
  "menu:delete",
  "deleteConfirm:yes",
  "deleteConfirm:no",
  "report.situation:scam_compound",
  "report.danger:yes",
  "report.review:confirm",
  "report.review:edit_story",
  "check.result:report",
  "status.open:q0",
  "status.open:add",
  "qa.answered:r0",
  "qa.nomatch:report",
];

const inbound: fc.Arbitrary<InboundMessage> = fc.oneof(
  fc.record({ type: fc.constant("text" as const), text: fc.string({ maxLength: 4000 }) }),
  fc.record({
    type: fc.constant("text" as const),
    text: fc.constantFrom("menu", "batal", " Bahasa ", "visa turis", "3", "Kamboja", "TPPO-7K3M-9QX2"),
  }),
  fc.record({
    type: fc.constant("choice" as const),
    id: fc.oneof(fc.constantFrom(...knownChoiceIds), fc.string({ minLength: 1, maxLength: 200 })),
  }),
  fc.record({
    type: fc.constant("media" as const),
    kind: fc.constantFrom("photo" as const, "document" as const),
    ref: fc.string({ minLength: 1, maxLength: 100 }),
  }),
  fc.record({
    type: fc.constant("location" as const),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
  }),
  fc.record({ type: fc.constant("command" as const), command: fc.constantFrom(...commandSchema.options) }),
  fc.record({ type: fc.constant("unsupported" as const), kind: fc.string({ maxLength: 40 }) }),
);

const event: fc.Arbitrary<FlowEvent> = fc.oneof(
  { weight: 6, arbitrary: inbound.map((message) => ({ type: "user.message" as const, message })) },
  fc.record({
    type: fc.constant("timer.fired" as const),
    name: fc.constantFrom("idle", "other"),
    token: fc.oneof(fc.constantFrom("idle-1", "idle-2", "idle-3", "idle-5"), fc.string()),
  }),
  fc.record({ type: fc.constant("report.stored" as const), code: fc.string(), pin: fc.string() }),
  fc.constant({ type: "report.failed" as const }),
  fc.record({
    type: fc.constant("status.result" as const),
    result: fc.oneof(
      fc.constant({ ok: false as const }),
      fc.record({
        ok: fc.constant(true as const),
        code: fc.string({ maxLength: 300 }),
        status: fc.constantFrom(
          "received" as const,
          "in_progress" as const,
          "referred" as const,
          "closed" as const,
        ),
        outcome: fc.option(fc.string({ maxLength: 3000 }), { nil: undefined }),
        questions: fc.array(
          fc.record({
            id: fc.string({ maxLength: 50 }),
            text: fc.string({ maxLength: 2000 }),
            answered: fc.boolean(),
          }),
          { maxLength: 14 },
        ),
      }),
    ),
  }),
  fc.record({ type: fc.constant("case.appended" as const), ok: fc.boolean() }),
  fc.record({
    type: fc.constant("flow.restart" as const),
    flow: fc.constantFrom(...FLOWS.map((f) => f.id), "unknown"),
  }),
  fc.record({
    type: fc.constant("case.update" as const),
    code: fc.string({ maxLength: 200 }),
    text: fc.string({ maxLength: 5000 }),
  }),
);

describe("main machine (property)", () => {
  it("never throws on random event sequences and every output respects the channel limits", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), (events) => {
        const d = new FlowDriver();
        for (const e of events) {
          const outputs = d.send(e);
          for (const o of outputs) {
            if (o.type === "reply") expect(validateOutbound(o.message)).toEqual([]);
            if (o.type === "report.submitted") expect(reportSchema.safeParse(o.report).success).toBe(true);
            if (o.type === "schedule") expect(o.token).toBe(d.context.timerToken);
          }
          expect(JSON.stringify(d.context)).not.toContain('"pin"');
        }
      }),
      { numRuns: 300 },
    );
  });

  it("walks deep into every flow by tapping, typing, sending media and engine answers; typed danger always gets help next", () => {
    const move = fc.oneof(
      { weight: 6, arbitrary: fc.nat().map((n) => ({ kind: "tap" as const, n })) },
      {
        weight: 2,
        arbitrary: fc.string({ maxLength: 4000 }).map((text) => ({ kind: "type" as const, text })),
      },
      { weight: 3, arbitrary: fc.constantFrom(...TYPED).map((text) => ({ kind: "type" as const, text })) },
      { weight: 1, arbitrary: fc.constant({ kind: "media" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "engine" as const }) },
    );
    fc.assert(
      fc.property(fc.array(move, { minLength: 5, maxLength: 60 }), (moves) => {
        const d = new FlowDriver();
        d.text("halo");
        for (const m of moves) {
          const danger = m.kind === "type" && DANGER.has(m.text);
          const offered = d.choiceIds;
          if (m.kind === "tap" && offered.length > 0) d.choose(offered[m.n % offered.length]!);
          else if (m.kind === "type") d.text(m.text);
          else if (m.kind === "media")
            d.user({ type: "media", kind: "photo", ref: `ev-${moves.indexOf(m)}` });
          else if (d.context.step === "report.submitting")
            d.send({ type: "report.stored", code: "TPPO-AAAA-BBBB", pin: "1" });
          else if (d.context.step === "status.lookup") {
            d.send({
              type: "status.result",
              result: {
                ok: true,
                code: "TPPO-AAAA-BBBB",
                status: "received",
                questions: [{ id: "q", text: "?", answered: false }],
              },
            });
          } else d.send({ type: "case.appended", ok: true });
          for (const o of d.outputs) if (o.type === "reply") expect(validateOutbound(o.message)).toEqual([]);
          if (danger) {
            const first = d.replies[0];
            const help = ["indonesia", "abroad", "unknown"].map((w) =>
              t(d.context.lang, `typed.danger.${w}`),
            );
            expect(help).toContain(first && "text" in first ? first.text : "");
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
