import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOutbox } from "../../../../src/bot/outbox-payload.ts";
import { t } from "../../../../src/flows/content/catalog.ts";
import { textOf } from "../../../../src/flows/message.ts";
import { pseudonym } from "../../../../src/storage/crypto.ts";
import { prismaOf } from "../../../../src/storage/prisma-access.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { reachEvidence, startReport } from "../../../helpers/telegram-report.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";

/** Every base table of the application's and pg-boss's schemas, with how many rows mention `needle`. */
async function rowsMentioning(tg: TelegramService, needle: string): Promise<Record<string, number>> {
  const p = prismaOf(tg.db);
  const tables = await p.$queryRaw<{ schema: string; name: string }[]>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'
    ORDER BY 1, 2`;
  expect(tables.map((x) => `${x.schema}.${x.name}`)).toEqual(
    expect.arrayContaining(["public.conversation", "public.outbox_message", "pgboss.job"]),
  );
  const found: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const [row] = await p.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${schema}"."${name}" r WHERE r::text LIKE '%' || $1 || '%'`,
      needle,
    );
    found[`${schema}.${name}`] = row?.n ?? 0;
  }
  return found;
}

describe.each(databaseKinds())("/hapus on Telegram (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(kind);
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("leaves no row or job with the pseudonym and withdraws the bot's messages, code + PIN above all", async () => {
    const u = tg.user(7_300_000_001);
    const key = pseudonym(tg.svc.keys.pseudonymKey, "telegram", u.chatId);
    await startReport(u);
    await reachEvidence(u, "The agent kept the passport of my sister.");
    await u.tap("report.evidence:skip");
    await u.tap("report.consent:yes");
    const done = (await u.tap("report.review:confirm")).join("\n");
    expect(done).toMatch(/PIN: \S+/);
    await tg.settle();

    // Before: the pseudonym is in the conversation, the sent outbox rows, the receipts and a timer job.
    const before = await rowsMentioning(tg, key);
    for (const table of [
      "public.conversation",
      "public.outbox_message",
      "public.inbound_receipt",
      "pgboss.job",
    ]) {
      expect(before[table], table).toBeGreaterThan(0);
    }
    const sent = await prismaOf(tg.db).outboxMessage.findMany({ where: { targetKey: key, status: "sent" } });
    const pinMessage = sent.find((m) => textOf(openOutbox(tg.svc.sealer, m).message)?.includes("PIN:"));
    expect(pinMessage?.externalId).toBeTruthy();

    await u.text("/hapus");
    const farewell = (await u.tap("pending.delete:yes")).join("\n");
    expect(farewell).toContain(t("en", "common.clear_chat").slice(0, 30));
    await tg.settle();

    const after = await rowsMentioning(tg, key);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    const report = await prismaOf(tg.db).report.findFirstOrThrow({ select: { conversationKey: true } });
    expect(report.conversationKey).toBeNull();

    const deletions = tg.fake.callsTo("deleteMessages").filter((c) => c.payload.chat_id === u.chatId);
    const deleted = deletions.flatMap((c) => (c.payload.message_ids as number[]).map(String));
    for (const id of pinMessage!.externalId!.split(",")) expect(deleted).toContain(id);
    expect(deleted.length).toBeGreaterThanOrEqual(sent.length);
  });

  it("withdraws a PIN typed for a status check, alone or with its code, after reading it, and says so", async () => {
    const u = tg.user(7_300_000_002);
    await startReport(u);
    await reachEvidence(u, "The agent kept the passport of my sister.");
    await u.tap("report.evidence:skip");
    await u.tap("report.consent:yes");
    const done = (await u.tap("report.review:confirm")).join("\n");
    const code = /REF-[A-Z0-9-]+/.exec(done)?.[0];
    const pin = /PIN: (\S+)/.exec(done)?.[1];
    expect(code && pin).toBeTruthy();
    await u.text("/status");
    await u.text(code!);
    const answer = await u.send(u.message({ text: pin, message_id: 777_001 }));
    expect(answer.join("\n")).toContain(code!);
    expect(answer.at(-1)).toBe(t("en", "status.pin_withdrawn"));
    const deleted = () =>
      tg.fake
        .callsTo("deleteMessages")
        .filter((c) => c.payload.chat_id === u.chatId)
        .flatMap((c) => c.payload.message_ids as number[]);
    // Only the PIN's message: the code typed on its own is no secret without the PIN, and stays.
    expect(deleted()).toEqual([777_001]);
    // Code and PIN typed in one message at the menu: checked at once, and that message withdrawn.
    await u.text("/menu");
    const atOnce = await u.send(u.message({ text: `cek laporan ${code} pin ${pin}`, message_id: 777_002 }));
    expect(atOnce.join("\n")).toContain(code!);
    expect(atOnce.at(-1)).toBe(t("en", "status.pin_withdrawn"));
    expect(deleted()).toEqual([777_001, 777_002]);
  });
});
