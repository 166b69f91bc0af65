import { afterEach, describe, expect, it } from "vitest";
import { loadContacts } from "../../../src/bot/officers/contacts.ts";
import { sendDigests } from "../../../src/bot/officers/officer-digest.ts";
import { OfficerDirectory } from "../../../src/bot/officers/officer-directory.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../helpers/databases.ts";
import { CONTACTS_FIXTURE, type Harness, outboxPayloads, startHarness } from "./officers-harness.ts";
import {
  BP3MI_CHAT,
  criticalCaseWithEvidence,
  IMIGRASI_CHAT,
  normalCase,
  POLDA_CHAT,
  POLDA_GROUP,
  SCOPE_FIXTURE,
} from "./scope-harness.ts";

describe.each(databaseKinds())("daily digest per agency (%s)", (kind) => {
  let db: TestDatabase;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.svc.close();
    h = undefined;
    await db?.destroy();
  });

  async function digests(contactsFile: string) {
    const directory = new OfficerDirectory(loadContacts(contactsFile), h!.keys, h!.svc.sealer);
    await sendDigests(db, directory, new Date());
    const sent = (await outboxPayloads(h!)).filter((p) => p.purpose === "officer.digest");
    return (chatId: number) =>
      sent
        .filter((p) => JSON.stringify(p.address) === JSON.stringify({ chatId }))
        .map((p) => (p.message.type === "text" ? p.message.text : ""));
  }

  it("sends the normal cases only to the agencies responsible for them, never an urgent case", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db, { contactsFile: SCOPE_FIXTURE });
    const critical = await criticalCaseWithEvidence(h);
    await normalCase(h, "REF-DGST-2222", new Date(Date.now() - 60_000));
    await normalCase(h, "REF-DGST-3333", new Date(Date.now() - 30_000));
    const to = await digests(SCOPE_FIXTURE);
    for (const chat of [IMIGRASI_CHAT, BP3MI_CHAT]) {
      expect(to(chat)).toHaveLength(1);
      expect(to(chat)[0]).toContain("REF-DGST-2222");
      expect(to(chat)[0]).toContain("REF-DGST-3333");
      expect(to(chat)[0]).not.toContain(critical);
    }
    expect(to(IMIGRASI_CHAT)[0]).toContain("Imigrasi Ngurah Rai");
    expect(to(BP3MI_CHAT)[0]).toContain("BP3MI Bali");
    // Polda is not responsible for normal cases here: no digest to its officers or its group.
    for (const chat of [POLDA_CHAT, POLDA_GROUP]) expect(to(chat)).toEqual([]);
  }, 90_000);

  it("sends normal cases to the agencies of the critical first tier when the policy names none", async () => {
    db = await openTestDatabase(kind);
    h = await startHarness(db);
    await normalCase(h, "REF-DGST-4444", new Date(Date.now() - 60_000));
    const to = await digests(CONTACTS_FIXTURE);
    expect(to(POLDA_CHAT)[0]).toContain("REF-DGST-4444");
    // BP3MI's only officer is on WhatsApp; nothing went there either.
    const payloads = await outboxPayloads(h);
    expect(
      payloads.filter((p) => p.purpose === "officer.digest" && JSON.stringify(p.address).includes("waId")),
    ).toEqual([]);
  }, 90_000);
});
