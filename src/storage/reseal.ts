import { Sealer, SealTamperedError, sealedAt } from "./crypto.ts";
import type { Database } from "./database.ts";
import type { Prisma } from "./generated/client.ts";
import { prismaOf, prismaTx } from "./prisma-access.ts";

/** How many values `resealAll` re-sealed, by place. */
export type ResealCounts = Record<string, number>;

const BATCH = 200;

/**
 * Re-seals every sealed value with the sealer's current key, bound to its place (`keys rotate`):
 * conversations (snapshot, reply address, case access), outbox payloads, check-ins, reports,
 * evidence, officer addresses, case messages and the sealed data of pending reporter-push jobs.
 * Outbox payloads and evidence sealed before they were bound (at the empty place) get their place.
 * Give it a sealer that holds every old key and accepts legacy envelopes. It can be run again at
 * any time.
 */
export async function resealAll(db: Database, sealer: Sealer): Promise<ResealCounts> {
  const counts: ResealCounts = {};
  const count = (place: string) => {
    counts[place] = (counts[place] ?? 0) + 1;
  };
  const p = prismaOf(db);
  const again = (bytes: Uint8Array, place: string) =>
    new Uint8Array(sealer.seal(sealer.open(bytes, place), place));
  // Outbox payloads and evidence were sealed unbound (the empty place) before they had a place.
  const bind = (bytes: Uint8Array, place: string) => {
    try {
      return again(bytes, place);
    } catch (error) {
      if (!(error instanceof SealTamperedError) || Sealer.isLegacy(bytes)) throw error;
      let plain: Buffer;
      try {
        plain = sealer.open(bytes, "");
      } catch {
        throw error;
      }
      return new Uint8Array(sealer.seal(plain, place));
    }
  };

  await eachBatch(
    (cursor) =>
      p.conversation.findMany({ where: { key: { gt: cursor } }, orderBy: { key: "asc" }, take: BATCH }),
    (row) => row.key,
    async (tx, row) => {
      const state = row.channelState as Record<string, unknown> | null;
      const sealedState: Record<string, string> = {};
      for (const [field, place] of [
        ["caseAccess", sealedAt.caseAccess(row.key)],
        ["ownCases", sealedAt.ownCases(row.key)],
      ] as const) {
        const value = state?.[field];
        if (typeof value === "string") {
          sealedState[field] = Buffer.from(again(Buffer.from(value, "base64"), place)).toString("base64");
        }
      }
      await tx.conversation.update({
        where: { key: row.key },
        data: {
          ...(row.snapshotSealed
            ? { snapshotSealed: again(row.snapshotSealed, sealedAt.conversationSnapshot(row.key)) }
            : {}),
          ...(row.addressSealed
            ? { addressSealed: again(row.addressSealed, sealedAt.conversationAddress(row.key)) }
            : {}),
          ...(state && Object.keys(sealedState).length > 0
            ? { channelState: { ...state, ...sealedState } as Prisma.InputJsonValue }
            : {}),
        },
      });
      count("conversation");
    },
    db,
  );
  await eachBatch(
    (cursor) =>
      p.outboxMessage.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      await tx.outboxMessage.update({
        where: { id: row.id },
        data: {
          payloadSealed: bind(row.payloadSealed, sealedAt.outboxPayload(row.targetKey, row.idempotencyKey)),
        },
      });
      count("outbox_message");
    },
    db,
  );
  await eachBatch(
    (cursor) => p.checkin.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      const detailsSealed = again(row.detailsSealed, sealedAt.checkinDetails(row.conversationKey));
      await tx.checkin.update({ where: { id: row.id }, data: { detailsSealed } });
      count("checkin");
    },
    db,
  );
  await eachBatch(
    (cursor) => p.report.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      // A purged closed case keeps an empty value: nothing to seal.
      if (row.contentSealed.length === 0) return;
      const contentSealed = again(row.contentSealed, sealedAt.reportContent(row.id));
      await tx.report.update({ where: { id: row.id }, data: { contentSealed } });
      count("report");
    },
    db,
  );
  await eachBatch(
    (cursor) => p.evidence.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      const dataSealed = bind(row.dataSealed, sealedAt.evidenceData(row.id));
      await tx.evidence.update({ where: { id: row.id }, data: { dataSealed } });
      count("evidence");
    },
    db,
  );
  await eachBatch(
    (cursor) => p.officer.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      const addressSealed = again(row.addressSealed, sealedAt.officerAddress(row.id));
      await tx.officer.update({ where: { id: row.id }, data: { addressSealed } });
      count("officer");
    },
    db,
  );
  await eachBatch(
    (cursor) =>
      p.caseMessage.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: BATCH }),
    (row) => row.id,
    async (tx, row) => {
      const bodySealed = again(row.bodySealed, sealedAt.caseMessageBody(row.id));
      await tx.caseMessage.update({ where: { id: row.id }, data: { bodySealed } });
      count("case_message");
    },
    db,
  );
  counts["job.reporter-push"] = await resealPushJobs(db, sealer);
  return counts;
}

async function eachBatch<T>(
  page: (cursor: string) => Promise<T[]>,
  keyOf: (row: T) => string,
  each: (tx: Prisma.TransactionClient, row: T) => Promise<void>,
  db: Database,
): Promise<void> {
  let cursor = "";
  for (;;) {
    const rows = await page(cursor);
    if (rows.length === 0) return;
    await db.transaction(async (tx) => {
      for (const row of rows) await each(prismaTx(tx), row);
    });
    cursor = keyOf(rows.at(-1)!);
  }
}

/** Pending reporter-push jobs carry a sealed push; legacy ones get their owner key added. */
async function resealPushJobs(db: Database, sealer: Sealer): Promise<number> {
  const p = prismaOf(db);
  const exists = await p.$queryRaw<{ t: string | null }[]>`SELECT to_regclass('pgboss.job')::text AS t`;
  if (!exists[0]?.t) return 0;
  const jobs = await p.$queryRaw<{ id: string; data: { owner?: string; sealed?: string } | null }[]>`
    SELECT id::text AS id, data FROM pgboss.job
    WHERE name = 'reporter-push' AND state IN ('created', 'retry', 'active')`;
  let n = 0;
  for (const job of jobs) {
    const sealed = job.data?.sealed;
    if (typeof sealed !== "string") continue;
    const bytes = Buffer.from(sealed, "base64");
    const owner =
      job.data?.owner ??
      (JSON.parse(sealer.open(bytes).toString("utf8")) as { conversationKey: string }).conversationKey;
    const place = sealedAt.reporterPush(owner);
    const plain = sealer.open(bytes, job.data?.owner ? place : "");
    const data = { owner, sealed: sealer.seal(plain, place).toString("base64") };
    await p.$executeRaw`UPDATE pgboss.job SET data = ${JSON.stringify(data)}::jsonb WHERE id::text = ${job.id}`;
    n++;
  }
  return n;
}
