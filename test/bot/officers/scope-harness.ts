import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { storeEvidence } from "../../../src/bot/evidence.ts";
import type { OfficerRouting } from "../../../src/bot/officers/officer-gateway.ts";
import type { OutboundMessage } from "../../../src/flows/message.ts";
import { insertCase } from "../../../src/storage/cases.ts";
import { sealedAt } from "../../../src/storage/crypto.ts";
import { prismaOf } from "../../../src/storage/prisma-access.ts";
import { type Harness, officerMessage, outboxPayloads, reporter } from "./officers-harness.ts";

/**
 * Contacts of the agency-scope tests: critical cases go to Polda (off-1 and its unit group grp-1)
 * and then Imigrasi (imm-1); high cases to Polda only; normal cases belong to Imigrasi and BP3MI.
 */
export const SCOPE_FIXTURE = "test/fixtures/contacts/agency-scope.yaml";
export const POLDA_CHAT = 900000001;
export const IMIGRASI_CHAT = 900000011;
export const BP3MI_CHAT = 900000021;
export const POLDA_GROUP = -100900000001;

/** A critical report made through the real flows, with one evidence photo attached; returns its code. */
export async function criticalCaseWithEvidence(h: Harness): Promise<string> {
  const r = reporter(h);
  await r.fillCriticalReport();
  await r.choose("report.review:confirm");
  const report = await prismaOf(h.svc.db).report.findFirstOrThrow({ where: { urgency: "critical" } });
  const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#3366aa" } })
    .png()
    .toBuffer();
  const photo = await storeEvidence(h.svc.db, h.svc.sealer, "scope-test", { bytes: png, mime: "image/png" });
  if (!photo.ok) throw new Error("evidence not stored");
  await prismaOf(h.svc.db).evidence.update({
    where: { id: photo.id },
    data: { reportId: report.id, conversationKey: null },
  });
  return report.code;
}

/** A stored normal case (no escalation), received at `at`. */
export async function normalCase(h: Harness, code: string, at: Date): Promise<void> {
  const id = randomUUID();
  await h.svc.db.transaction((tx) =>
    insertCase(tx, {
      id,
      code,
      pinHash: "not-used",
      urgency: "normal",
      reasons: [],
      situation: "recruitment_fraud",
      country: null,
      contentSealed: new Uint8Array(h.svc.sealer.sealJson({}, sealedAt.reportContent(id))),
      consentContact: false,
      conversationKey: null,
      createdAt: at,
    }),
  );
}

/**
 * Sends one message through the officers' gateway, as a channel would, and returns the routing
 * and what the bot queued into that chat in answer.
 */
export async function exchange(
  h: Harness,
  chatId: number,
  input: { text?: string; buttonId?: string; senderId?: string; isGroup?: boolean },
): Promise<{ routing: OfficerRouting; answers: OutboundMessage[]; texts: string[] }> {
  const before = (await outboxPayloads(h)).length;
  const routing = await h.gateway.route(officerMessage(chatId, input));
  const answers = (await outboxPayloads(h))
    .slice(before)
    .filter((p) => JSON.stringify(p.address) === JSON.stringify({ chatId }))
    .map((p) => p.message);
  const texts = answers.map((m) => (m.type === "text" ? m.text : `<${m.type}>`));
  return { routing, answers, texts };
}
