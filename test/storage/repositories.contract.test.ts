import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, lastAuditedAt } from "../../src/storage/audit.ts";
import {
  addCaseMessage,
  findCaseMessage,
  findCaseQuestion,
  listCaseMessages,
  markQuestionsDelivered,
} from "../../src/storage/case-messages.ts";
import {
  assignCase,
  caseCodeTaken,
  clearPinFailures,
  findCaseByCode,
  findCaseById,
  insertCase,
  listCaseStatsRows,
  listNormalCasesReceived,
  listOpenCases,
  lockCase,
  lockCaseByCode,
  type NewCase,
  savePinFailures,
  setCaseConversation,
  setCaseStatus,
} from "../../src/storage/cases.ts";
import {
  findConversationLang,
  findConversationReach,
  findDeliveryWindow,
  findReplyAddress,
  setContactConsent,
} from "../../src/storage/conversation-contact.ts";
import { lockConversation, saveConversation } from "../../src/storage/conversations.ts";
import { Sealer, sealedAt } from "../../src/storage/crypto.ts";
import {
  acknowledgeEscalations,
  insertEscalationStep,
  listEscalations,
  setEscalationStatus,
} from "../../src/storage/escalations.ts";
import {
  attachDraftEvidence,
  countCaseEvidence,
  findEvidenceFile,
  insertDraftEvidence,
  listCaseEvidenceFiles,
  listCaseEvidenceIds,
} from "../../src/storage/evidence.ts";
import { findInvite, insertInvite, markInviteUsed } from "../../src/storage/invites.ts";
import {
  findOfficerByChannelKey,
  findOfficerById,
  saveOfficerRegistration,
} from "../../src/storage/officers.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

/** The repositories the engine, the officers and the channels call, on every database the service runs on. */
describe.each(databaseKinds())("repositories on %s", (kind) => {
  let db: TestDatabase;
  const sealer = new Sealer([randomBytes(32)]);
  const received = new Date("2030-01-10T08:00:00Z");

  const newCase = (code: string, over: Partial<NewCase> = {}): NewCase => ({
    id: randomUUID(),
    code,
    pinHash: "scrypt$test",
    urgency: "normal",
    reasons: ["test"],
    situation: "other",
    country: "MY",
    contentSealed: sealer.sealJson({ fake: true }),
    consentContact: false,
    conversationKey: null,
    createdAt: received,
    ...over,
  });

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("stores a case, finds it by code and id, and changes its conversation, PIN count, assignee and status", async () => {
    const id = await db.transaction((tx) => insertCase(tx, newCase("TPPO-REPO-AAA2")));
    expect(await db.transaction((tx) => caseCodeTaken(tx, "TPPO-REPO-AAA2"))).toBe(true);
    expect(await db.transaction((tx) => caseCodeTaken(tx, "TPPO-REPO-ZZZ9"))).toBe(false);
    const found = await db.transaction((tx) => findCaseByCode(tx, "TPPO-REPO-AAA2"));
    expect(found).toMatchObject({ id, status: "received", urgency: "normal", failedPinCount: 0 });
    expect(sealer.openJson(found!.contentSealed)).toEqual({ fake: true });
    expect(await db.transaction((tx) => findCaseByCode(tx, "TPPO-REPO-ZZZ9"))).toBeUndefined();

    const since = new Date("2030-01-10T09:00:00Z");
    const lockedUntil = new Date("2030-01-10T10:00:00Z");
    await db.transaction((tx) => savePinFailures(tx, id, { count: 2, since }));
    expect(await db.transaction((tx) => findCaseById(tx, id))).toMatchObject({
      failedPinCount: 2,
      failedPinSince: since,
      lockedUntil: null,
    });
    await db.transaction((tx) => savePinFailures(tx, id, { count: 0, since: null, lockedUntil }));
    await db.transaction((tx) => clearPinFailures(tx, id));
    await db.transaction(async (tx) => {
      await setCaseConversation(tx, id, "k-repo-conv");
      await assignCase(tx, id, "officer-a");
      await setCaseStatus(tx, id, { status: "closed", outcome: "rescued", closedAt: since });
    });
    expect(await db.transaction((tx) => findCaseById(tx, id))).toMatchObject({
      failedPinCount: 0,
      failedPinSince: null,
      lockedUntil,
      conversationKey: "k-repo-conv",
      assignedOfficerId: "officer-a",
      status: "closed",
      outcome: "rescued",
      closedAt: since,
    });
  });

  it("locks a case by id or code until the transaction ends", async () => {
    const id = await db.transaction((tx) => insertCase(tx, newCase("TPPO-LOCK-BBB3")));
    expect(await db.transaction((tx) => lockCase(tx, "no-such-case"))).toBe(false);
    expect(await db.transaction((tx) => lockCaseByCode(tx, "TPPO-LOCK-ZZZ9"))).toBeUndefined();
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = db.transaction(async (tx) => {
      expect(await lockCase(tx, id)).toBe(true);
      order.push("first locked");
      await held;
      order.push("first done");
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = db.transaction(async (tx) => {
      expect((await lockCaseByCode(tx, "TPPO-LOCK-BBB3"))?.id).toBe(id);
      order.push("second locked");
    });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first locked", "first done", "second locked"]);
  });

  it("lists open cases, a digest's normal cases and the statistics columns", async () => {
    const at = (hour: number) => new Date(Date.UTC(2031, 0, 1, hour));
    await db.transaction(async (tx) => {
      await insertCase(tx, newCase("TPPO-LIST-CCC1", { createdAt: at(1) }));
      await insertCase(tx, newCase("TPPO-LIST-CCC2", { createdAt: at(2), urgency: "high" }));
      const closed = await insertCase(tx, newCase("TPPO-LIST-CCC3", { createdAt: at(3) }));
      await setCaseStatus(tx, closed, { status: "closed", outcome: null, closedAt: at(4) });
    });
    const open = await db.transaction((tx) => listOpenCases(tx, 200));
    expect(open.map((c) => c.code).slice(0, 2)).toEqual(["TPPO-LIST-CCC2", "TPPO-LIST-CCC1"]);
    expect(open.some((c) => c.code === "TPPO-LIST-CCC3")).toBe(false);
    const digest = await db.transaction((tx) => listNormalCasesReceived(tx, at(1), at(3), 200));
    expect(digest.map((c) => c.code)).toEqual(["TPPO-LIST-CCC3"]);
    const stats = await listCaseStatsRows(db, at(0), at(3));
    expect(stats).toEqual([
      {
        createdAt: at(1),
        situation: "other",
        urgency: "normal",
        country: "MY",
        outcome: null,
        status: "received",
      },
      {
        createdAt: at(2),
        situation: "other",
        urgency: "high",
        country: "MY",
        outcome: null,
        status: "received",
      },
    ]);
  });

  it("keeps a case's messages, finds questions and marks them delivered", async () => {
    const reportId = await db.transaction((tx) => insertCase(tx, newCase("TPPO-MSGS-DDD4")));
    const question = await db.transaction((tx) =>
      addCaseMessage(tx, {
        id: randomUUID(),
        reportId,
        kind: "question",
        officerId: "officer-a",
        bodySealed: sealer.sealJson("q"),
      }),
    );
    const answer = await db.transaction((tx) =>
      addCaseMessage(tx, {
        id: randomUUID(),
        reportId,
        kind: "answer",
        replyTo: question.id,
        bodySealed: sealer.sealJson("a"),
      }),
    );
    await db.transaction((tx) =>
      addCaseMessage(tx, { id: randomUUID(), reportId, kind: "note", bodySealed: sealer.sealJson("n") }),
    );
    expect(answer).toMatchObject({ reportId, kind: "answer", replyTo: question.id, officerId: null });
    expect(await db.transaction((tx) => findCaseQuestion(tx, reportId, question.id))).toMatchObject({
      officerId: "officer-a",
    });
    expect(await db.transaction((tx) => findCaseQuestion(tx, reportId, answer.id))).toBeUndefined();
    expect(await db.transaction((tx) => findCaseMessage(tx, answer.id))).toMatchObject({ kind: "answer" });
    const all = await db.transaction((tx) => listCaseMessages(tx, reportId));
    expect(all.map((m) => m.kind)).toEqual(["question", "answer", "note"]);
    const asked = await db.transaction((tx) => listCaseMessages(tx, reportId, ["question", "answer"]));
    expect(asked.map((m) => m.id)).toEqual([question.id, answer.id]);
    const shown = new Date("2030-02-01T00:00:00Z");
    await db.transaction((tx) => markQuestionsDelivered(tx, [question.id], shown));
    expect((await db.transaction((tx) => findCaseMessage(tx, question.id)))?.deliveredAt).toEqual(shown);
  });

  it("attaches only a conversation's own draft evidence to a case, and lists and opens it", async () => {
    const reportId = await db.transaction((tx) => insertCase(tx, newCase("TPPO-EVID-EEE5")));
    const file = (conversationKey: string, byte: number) => {
      const id = randomUUID();
      const dataSealed = new Uint8Array(sealer.seal(Buffer.from([byte]), sealedAt.evidenceData(id)));
      return { id, conversationKey, kind: "photo", mime: "image/jpeg", size: 1, dataSealed };
    };
    const [mine, other] = await db.transaction(async (tx) => [
      await insertDraftEvidence(tx, file("k-evid", 1)),
      await insertDraftEvidence(tx, file("k-someone-else", 2)),
    ]);
    expect(await db.transaction((tx) => attachDraftEvidence(tx, [mine!, other!], "k-evid", reportId))).toBe(
      1,
    );
    expect(await db.transaction((tx) => attachDraftEvidence(tx, [mine!], "k-evid", reportId))).toBe(0);
    expect(await db.transaction((tx) => countCaseEvidence(tx, reportId))).toBe(1);
    expect(await db.transaction((tx) => listCaseEvidenceIds(tx, reportId, 10))).toEqual([mine]);
    const files = await listCaseEvidenceFiles(db, reportId);
    expect(files.map((f) => [...sealer.open(f.dataSealed, sealedAt.evidenceData(f.id))])).toEqual([[1]]);
    expect(files.map((f) => f.id)).toEqual([mine]);
    expect(await findEvidenceFile(db, other!)).toMatchObject({ kind: "photo", mime: "image/jpeg" });
    expect(await findEvidenceFile(db, "no-such-file")).toBeUndefined();
  });

  it("records each escalation step once and acknowledges open steps", async () => {
    const reportId = await db.transaction((tx) =>
      insertCase(tx, newCase("TPPO-ESCL-FFF6", { urgency: "high" })),
    );
    const step = (tier: number) => ({
      reportId,
      tier,
      round: 0,
      officerIds: ["officer-a"],
      notifiedAt: received,
      dueAt: new Date(received.getTime() + 60_000),
    });
    expect(await db.transaction((tx) => insertEscalationStep(tx, step(0)))).toBe(true);
    expect(await db.transaction((tx) => insertEscalationStep(tx, step(0)))).toBe(false);
    expect(await db.transaction((tx) => insertEscalationStep(tx, step(1)))).toBe(true);
    const steps = await db.transaction((tx) => listEscalations(tx, reportId));
    expect(steps.map((s) => [s.tier, s.status]).sort()).toEqual([
      [0, "notified"],
      [1, "notified"],
    ]);
    const [first, second] = steps.sort((a, b) => a.tier - b.tier);
    await db.transaction((tx) => setEscalationStatus(tx, first!.id, "superseded"));
    await db.transaction((tx) => acknowledgeEscalations(tx, [second!.id], "officer-b", received));
    const after = (await db.transaction((tx) => listEscalations(tx, reportId))).sort(
      (a, b) => a.tier - b.tier,
    );
    expect(after.map((s) => [s.status, s.ackedBy, s.ackedAt])).toEqual([
      ["superseded", null, null],
      ["acknowledged", "officer-b", received],
    ]);
  });

  it("keeps officer invites and registrations", async () => {
    const expiresAt = new Date("2030-03-01T00:00:00Z");
    await db.transaction((tx) =>
      insertInvite(tx, { codeHash: "hash-1", officerId: "officer-a", expiresAt, createdAt: received }),
    );
    expect(await db.transaction((tx) => findInvite(tx, "hash-1"))).toMatchObject({
      officerId: "officer-a",
      expiresAt,
      usedAt: null,
    });
    await db.transaction((tx) => markInviteUsed(tx, "hash-1", received));
    expect((await db.transaction((tx) => findInvite(tx, "hash-1")))?.usedAt).toEqual(received);
    expect(await db.transaction((tx) => findInvite(tx, "hash-none"))).toBeUndefined();

    const register = (channelKey: string, chatId: number) =>
      db.transaction((tx) =>
        saveOfficerRegistration(tx, {
          id: "officer-a",
          channel: "telegram",
          channelKey,
          addressSealed: sealer.sealJson({ channel: "telegram", chatId }),
        }),
      );
    await register("sender-1", 111);
    await register("sender-2", 222);
    const officer = await db.transaction((tx) => findOfficerById(tx, "officer-a"));
    expect(officer).toMatchObject({ channelKey: "sender-2", active: true });
    expect(sealer.openJson(officer!.addressSealed)).toEqual({ channel: "telegram", chatId: 222 });
    expect(await db.transaction((tx) => findOfficerByChannelKey(tx, "sender-2"))).toMatchObject({
      id: "officer-a",
    });
    expect(await db.transaction((tx) => findOfficerByChannelKey(tx, "sender-1"))).toBeUndefined();
  });

  it("appends audit entries and tells when an actor last did something", async () => {
    const at = (day: number) => new Date(Date.UTC(2030, 4, day));
    expect(await db.transaction((tx) => lastAuditedAt(tx, "digest:repo", "digest.sent"))).toBeUndefined();
    await db.transaction(async (tx) => {
      await appendAudit(tx, {
        actor: "digest:repo",
        action: "digest.sent",
        details: { cases: 1 },
        at: at(1),
      });
      await appendAudit(tx, { actor: "digest:repo", action: "digest.sent", at: at(3) });
      await appendAudit(tx, { actor: "digest:other", action: "digest.sent", at: at(9) });
      await appendAudit(tx, { actor: "system", action: "report.pin_locked", reportId: null });
    });
    expect(await db.transaction((tx) => lastAuditedAt(tx, "digest:repo", "digest.sent"))).toEqual(at(3));
  });

  it("reads how a conversation is reached and records contact consent", async () => {
    await db.transaction((tx) => lockConversation(tx, "k-reach", "telegram", "main", 1));
    expect(await db.transaction((tx) => findReplyAddress(tx, "k-reach"))).toBeUndefined();
    const lastInboundAt = new Date("2030-06-01T00:00:00Z");
    await db.transaction((tx) =>
      saveConversation(tx, "k-reach", {
        flowId: "main",
        flowVersion: 1,
        snapshotSealed: sealer.sealJson({}),
        lang: "en",
        channelState: {},
        addressSealed: sealer.sealJson({ chatId: 7 }),
        lastInboundAt,
        expiresAt: new Date(Date.now() + 60_000),
        version: 1,
      }),
    );
    const address = await db.transaction((tx) => findReplyAddress(tx, "k-reach"));
    expect(sealer.openJson(address!)).toEqual({ chatId: 7 });
    expect(await db.transaction((tx) => findConversationReach(tx, "k-reach"))).toMatchObject({
      key: "k-reach",
      channel: "telegram",
      lang: "en",
    });
    expect(await findConversationLang(db, "k-reach")).toBe("en");
    expect(await findDeliveryWindow(db, "k-reach")).toEqual({ lastInboundAt, lang: "en" });
    for (const missing of [
      await db.transaction((tx) => findConversationReach(tx, "k-none")),
      await findConversationLang(db, "k-none"),
      await findDeliveryWindow(db, "k-none"),
    ]) {
      expect(missing).toBeUndefined();
    }
    await db.transaction((tx) => setContactConsent(tx, "k-reach"));
    expect(
      (await db.transaction((tx) => lockConversation(tx, "k-reach", "telegram", "main", 1))).contactConsent,
    ).toBe(true);
  });
});
