import type { Logger } from "pino";
import type { Database } from "../../../storage/database.ts";
import type { Keys } from "../../../storage/keys.ts";
import { applyDeliveryFailure, countHeld, type DeliveryOutcome } from "../../../storage/outbox-status.ts";
import { conversationLang } from "../../../storage/receipts.ts";
import type { Candidate, FetchedMedia, Inbound, InboundChannel, InboundSender } from "../../inbound.ts";
import type { Metrics } from "../../metrics.ts";
import { storedMessageId } from "./stored-id.ts";
import { toInbound, type WhatsAppInboundItem } from "./to-inbound.ts";
import { verifySignature } from "./verify-signature.ts";
import { type WebhookPayload, webhookPayloadSchema } from "./webhook-schema.ts";
import { GRAPH_ERROR, isRetryable, WhatsAppApiError } from "./whatsapp-api-error.ts";
import type { WhatsAppClient } from "./whatsapp-client.ts";
import { templateLanguage } from "./whatsapp-words.ts";

export const CHANNEL = "whatsapp";
const INBOUND_CHANNEL: InboundChannel = { name: CHANNEL };

/** What the webhook needs from the service. */
export interface WebhookDeps {
  appSecret: string;
  client: WhatsAppClient;
  inbound: Inbound;
  db: Database;
  keys: Keys;
  log: Logger;
  metrics: Metrics;
  followupTemplate?: string | undefined;
  /** Upper bound for downloading one media file (it happens before the engine sees the message). */
  mediaTimeoutMs: number;
  /** Work that may finish after the response (read receipts, templates); awaited at shutdown. */
  background(task: () => Promise<void>): void;
}

type MessageItem = Exclude<WhatsAppInboundItem, { kind: "status" }>;
type StatusItem = Extract<WhatsAppInboundItem, { kind: "status" }>;

/** Retry a failed delivery reported by a status callback after this long. */
const STATUS_RETRY_MS = 60_000;

/**
 * Handles one `POST /whatsapp/webhook` delivery and returns the HTTP status to answer. The signature is
 * checked over the raw bytes before anything is parsed (401, nothing written). A signed body that is not
 * a WhatsApp payload is logged and answered 200, so Meta does not redeliver it forever. Each message is
 * applied by the engine before the answer (one durable transaction); messages of one sender keep their
 * order. Read receipts go out after the answer. 500 asks Meta to redeliver when storage failed; the
 * engine's de-duplication makes that safe.
 */
export async function handleWebhookPost(
  deps: WebhookDeps,
  raw: Uint8Array,
  signature: string | undefined,
): Promise<200 | 401 | 500> {
  if (!verifySignature(raw, signature, deps.appSecret)) {
    deps.metrics.inbound.inc({ channel: CHANNEL, outcome: "rejected" });
    return 401;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8"));
  } catch {
    deps.log.warn({ reason: "json", bytes: raw.byteLength }, "signed WhatsApp webhook is not JSON; ignored");
    return 200;
  }
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    deps.log.warn({ reason: "schema" }, "signed WhatsApp webhook is not a known payload; ignored");
    return 200;
  }
  const texts = typedTexts(parsed.data);
  const bySender = new Map<string, Promise<boolean>>();
  const work: Promise<boolean>[] = [];
  for (const item of toInbound(parsed.data)) {
    if (item.kind === "status") {
      work.push(guarded(deps, undefined, () => handleStatus(deps, item)));
      continue;
    }
    const previous = bySender.get(item.waId) ?? Promise.resolve(true);
    // After a failure the sender's later messages wait for Meta's redelivery of the whole batch,
    // so they are never applied before the one that failed.
    const next = previous.then((ok) =>
      ok ? guarded(deps, item, () => handleMessage(deps, item, texts.get(item.externalId))) : false,
    );
    bySender.set(item.waId, next);
  }
  work.push(...bySender.values());
  const results = await Promise.all(work);
  return results.every(Boolean) ? 200 : 500;
}

/** Runs one item; an unexpected error is logged with the pseudonymous key only and reported as false. */
async function guarded(
  deps: WebhookDeps,
  item: MessageItem | undefined,
  run: () => Promise<void>,
): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    const conversation = item ? deps.inbound.keyOf(CHANNEL, item.waId) : undefined;
    deps.log.error(
      { conversation, err: error instanceof Error ? `${error.name}: ${error.message}` : "unknown" },
      "WhatsApp webhook item failed",
    );
    deps.metrics.inbound.inc({ channel: CHANNEL, outcome: "error" });
    return false;
  }
}

async function handleMessage(deps: WebhookDeps, item: MessageItem, rawText: string | undefined) {
  const storedId = storedMessageId(deps.keys.pseudonymKey, item.externalId);
  markRead(deps, item.externalId, deps.inbound.keyOf(CHANNEL, item.waId));
  const candidate: Candidate = { externalId: storedId };
  if (rawText !== undefined) candidate.text = rawText;
  if (item.kind === "media") candidate.media = () => downloadMedia(deps, item);
  else {
    candidate.message = item.message;
    if (item.message.type === "choice") candidate.buttonId = item.message.id;
  }
  const sender: InboundSender = {
    id: item.waId,
    address: { waId: item.waId },
    officer: { address: { channel: CHANNEL, waId: item.waId }, senderId: item.waId },
  };
  await deps.inbound.receive(INBOUND_CHANNEL, sender, candidate);
}

/** Downloads a photo or document, bounded by `mediaTimeoutMs`; the inbound path stores it as evidence. */
async function downloadMedia(
  deps: WebhookDeps,
  item: Extract<MessageItem, { kind: "media" }>,
): Promise<FetchedMedia> {
  try {
    const file = await withTimeout(deps.client.downloadMedia(item.mediaId), deps.mediaTimeoutMs);
    return { ok: true, bytes: file.bytes, mime: file.mime || item.mime };
  } catch (error) {
    const tooLarge = error instanceof WhatsAppApiError && error.status === 413;
    deps.log.warn(
      { err: error instanceof Error ? error.message : "unknown" },
      "WhatsApp media download failed",
    );
    return { ok: false, reason: tooLarge ? "too_large" : "media_unavailable" };
  }
}

/**
 * A failed delivery status updates the outbox message with that wamid: 131047 (window closed) holds it
 * for the reporter's check-in (after the follow-up template, when configured), a transient error sends
 * it again later, anything else dead-letters it for administrators.
 */
async function handleStatus(deps: WebhookDeps, item: StatusItem): Promise<void> {
  if (item.status !== "failed") return;
  const codes = item.errorCodes;
  const reason = `WhatsApp delivery failed (${codes.join(", ") || "no code"})`;
  const outcome: DeliveryOutcome = codes.includes(GRAPH_ERROR.windowClosed)
    ? { status: "held", error: reason }
    : codes.some((c) => isRetryable(400, c))
      ? { status: "pending", error: reason, nextAttemptAt: new Date(Date.now() + STATUS_RETRY_MS) }
      : { status: "dead", error: reason };
  const row = await applyDeliveryFailure(
    deps.db,
    CHANNEL,
    storedMessageId(deps.keys.pseudonymKey, item.externalId),
    outcome,
  );
  if (!row) {
    deps.log.info({ codes }, "WhatsApp failure status for no sent outbox message");
    return;
  }
  deps.log.warn({ outbox: row.id, target: row.targetKey, codes, result: outcome.status }, reason);
  const template = deps.followupTemplate;
  if (outcome.status !== "held" || !template) return;
  const to = item.recipientWaId;
  deps.background(async () => {
    if ((await countHeld(deps.db, row.targetKey)) > 1) return;
    const lang = await conversationLang(deps.db, row.targetKey);
    await deps.client.sendTemplate(to, template, templateLanguage(lang));
    deps.log.info({ target: row.targetKey }, "WhatsApp follow-up template sent");
  });
}

function markRead(deps: WebhookDeps, wamid: string, key: string): void {
  deps.background(async () => {
    try {
      await deps.client.markRead(wamid);
    } catch (error) {
      deps.log.debug(
        { conversation: key, err: error instanceof Error ? error.message : "unknown" },
        "read receipt failed",
      );
    }
  });
}

/** The typed text of each text message by wamid, unparsed, so officer commands keep their arguments. */
function typedTexts(payload: WebhookPayload): Map<string, string> {
  const texts = new Map<string, string>();
  for (const entry of payload.entry)
    for (const change of entry.changes)
      for (const m of change.value.messages ?? []) if (m.text) texts.set(m.id, m.text.body.slice(0, 4000));
  return texts;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WhatsAppApiError(`WhatsApp media download timed out after ${ms} ms`, { status: 0 })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
