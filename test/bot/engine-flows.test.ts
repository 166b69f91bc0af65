import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOutbox } from "../../src/bot/outbox-payload.ts";
import { t } from "../../src/flows/content/catalog.ts";
import type { MainContext } from "../../src/flows/main-context.ts";
import { type FlowEvent, type InboundMessage, textOf } from "../../src/flows/message.ts";
import { flowVersions, mainFlow, mainMachine } from "../../src/flows/registry.ts";
import { reportFlow } from "../../src/flows/report-flow.ts";
import { sealedAt } from "../../src/storage/crypto.ts";
import { prismaOf } from "../../src/storage/prisma-access.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";
import { createTestEngine, type TestEngine } from "../helpers/test-engine.ts";

const user = (message: InboundMessage): FlowEvent => ({ type: "user.message", message });
const choose = (id: string) => user({ type: "choice", id });

describe.each(databaseKinds())("flow versions on %s", (kind) => {
  let db: TestDatabase;
  let before: TestEngine;
  let after: TestEngine;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    before = await createTestEngine(db, mainMachine, { flow: mainFlow() });
    // The same service after a deploy that changed only the report flow.
    after = await createTestEngine(db, mainMachine, {
      flow: mainFlow({ report: reportFlow.version + 1 }),
      sealer: before.sealer,
    });
  });
  afterAll(async () => {
    await before?.stop();
    await after?.stop();
    await db?.destroy();
  });

  const send = (h: TestEngine, key: string, event: FlowEvent) =>
    h.engine.handle({ conversationKey: key, channel: "console", address: `a-${key}`, event });
  const stored = async (key: string) => {
    const row = await prismaOf(db).conversation.findUniqueOrThrow({ where: { key } });
    return before.sealer.openJson<{
      value: unknown;
      context: MainContext;
      flowVersions: Record<string, number>;
    }>(row.snapshotSealed!, sealedAt.conversationSnapshot(key));
  };
  /** Reply texts written for `key` from the outbox sequence number `after` on. */
  const replies = async (key: string, from = 0n) => {
    const rows = await prismaOf(db).outboxMessage.findMany({
      where: { targetKey: key, seq: { gt: from } },
      orderBy: { seq: "asc" },
    });
    return rows.map((r) => textOf(openOutbox(before.sealer, r).message) ?? "");
  };
  const lastSeq = async (key: string) =>
    (await prismaOf(db).outboxMessage.findFirst({ where: { targetKey: key }, orderBy: { seq: "desc" } }))
      ?.seq ?? 0n;

  it("restarts only the conversations inside the flow whose version was bumped", async () => {
    for (const key of ["k-report", "k-check"]) {
      await send(before, key, user({ type: "command", command: "start" }));
      await send(before, key, choose("language:en"));
    }
    await send(before, "k-report", choose("menu:report"));
    await send(before, "k-report", choose("report.situation:recruitment_fraud"));
    await send(before, "k-check", choose("menu:check"));
    await send(before, "k-check", choose("check.q.destination:skip"));
    expect((await stored("k-report")).value).toEqual({ report: "country" });
    expect((await stored("k-check")).value).toEqual({ check: "question" });
    expect((await stored("k-check")).context.step).toBe("check.q.agency");
    const atAgency = (await stored("k-check")).context.check?.index ?? 0;
    expect((await stored("k-report")).flowVersions).toEqual(flowVersions);
    const seen = { report: await lastSeq("k-report"), check: await lastSeq("k-check") };

    // A tap on the old report prompt: the report starts again after the apology; the tap is not applied.
    expect(await send(after, "k-report", choose("report.country:indonesia"))).toBe("recovered");
    const report = await stored("k-report");
    expect(report.value).toEqual({ report: "situation" });
    expect(report.context.report).toEqual({ narrative: "", evidenceRefs: [] });
    expect(report.context.lang).toBe("en");
    expect(report.flowVersions.report).toBe(reportFlow.version + 1);
    const restarted = await replies("k-report", seen.report);
    expect(restarted[0]).toBe(t("en", "common.apology"));
    expect(restarted.at(-1)).toContain(t("en", "report.situation.prompt"));

    // The check continues where it was: the answer is taken, no apology.
    expect(await send(after, "k-check", choose("check.q.agency:skip"))).toBe("applied");
    const check = await stored("k-check");
    expect(check.value).toEqual({ check: "question" });
    expect(check.context.step).not.toBe("check.q.agency");
    expect(check.context.check?.index).toBeGreaterThan(atAgency);
    expect(await replies("k-check", seen.check)).not.toContain(t("en", "common.apology"));

    // The restarted report now runs on the new version like any other conversation.
    expect(await send(after, "k-report", choose("report.situation:recruitment_fraud"))).toBe("applied");
    expect((await stored("k-report")).value).toEqual({ report: "country" });
  });
});
