import { bodyLimit } from "../../body-limit.ts";
import type { Channel } from "../../channel.ts";
import type { ChannelContext, ChannelFactory } from "../../service.ts";
import { storedMessageId } from "./stored-id.ts";
import { verifyChallenge } from "./verify-challenge.ts";
import { createWhatsAppClient, type WhatsAppClient } from "./whatsapp-client.ts";
import { createWhatsAppSender, numbersChoices } from "./whatsapp-sender.ts";
import { CHANNEL, handleWebhookPost } from "./whatsapp-webhook.ts";

export interface WhatsAppChannelOptions {
  /** Another client (tests); by default one over `WHATSAPP_API_BASE_URL` with the configured token. */
  client?: WhatsAppClient;
  /** Time limit of one Graph request. Default 10 s. */
  requestTimeoutMs?: number;
  /** Time limit of one media download, both steps. Default 15 s. */
  mediaTimeoutMs?: number;
}

/** Webhook bodies are small JSON; anything bigger is refused before it is read. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The WhatsApp Cloud API channel: `GET /whatsapp/webhook` (Meta's subscription check) and
 * `POST /whatsapp/webhook` (signed deliveries), and the outbox sender. Phone numbers become
 * pseudonymous conversation keys at once; the reply address `{ waId }` is sealed by the engine.
 *
 * Gotcha: needs all four `WHATSAPP_*` credentials (`config.whatsappEnabled`); it throws otherwise.
 */
export function whatsAppChannel(options: WhatsAppChannelOptions = {}): ChannelFactory {
  return (ctx) => createWhatsAppChannel(ctx, options);
}

function createWhatsAppChannel(ctx: ChannelContext, options: WhatsAppChannelOptions): Channel {
  const { config, log } = ctx;
  const token = config.WHATSAPP_ACCESS_TOKEN;
  const phoneNumberId = config.WHATSAPP_PHONE_NUMBER_ID;
  const appSecret = config.WHATSAPP_APP_SECRET;
  const verifyToken = config.WHATSAPP_VERIFY_TOKEN;
  if (!token || !phoneNumberId || !appSecret || !verifyToken) {
    throw new Error("WhatsApp needs WHATSAPP_ACCESS_TOKEN, _PHONE_NUMBER_ID, _APP_SECRET and _VERIFY_TOKEN");
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const client =
    options.client ??
    createWhatsAppClient({
      accessToken: token,
      phoneNumberId,
      baseUrl: config.WHATSAPP_API_BASE_URL,
      graphVersion: config.WHATSAPP_GRAPH_VERSION,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) }),
    });
  const pending = new Set<Promise<void>>();
  const background = (task: () => Promise<void>) => {
    const p = task()
      .catch((error: unknown) =>
        log.warn(
          { err: error instanceof Error ? error.message : "unknown" },
          "WhatsApp background task failed",
        ),
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const deps = {
    appSecret,
    client,
    inbound: ctx.inbound,
    db: ctx.db,
    keys: ctx.keys,
    log,
    metrics: ctx.metrics,
    followupTemplate: config.WHATSAPP_TEMPLATE_FOLLOWUP,
    mediaTimeoutMs: options.mediaTimeoutMs ?? 15_000,
    background,
  };

  return {
    name: CHANNEL,
    profile: { numbersChoices },
    sender: createWhatsAppSender({
      storedId: (wamid) => storedMessageId(ctx.keys.pseudonymKey, wamid),
      client,
      db: ctx.db,
      sealer: ctx.sealer,
      log,
      followupTemplate: config.WHATSAPP_TEMPLATE_FOLLOWUP,
      checkinTemplate: config.WHATSAPP_TEMPLATE_CHECKIN,
    }),
    mount(app) {
      app.get("/whatsapp/webhook", (c) => {
        const result = verifyChallenge(new URL(c.req.url).searchParams, verifyToken);
        return result.status === 200 ? c.text(result.body, 200) : c.text("forbidden", 403);
      });
      app.post(
        "/whatsapp/webhook",
        bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text("payload too large", 413) }),
        async (c) => {
          const raw = new Uint8Array(await c.req.arrayBuffer());
          const status = await handleWebhookPost(deps, raw, c.req.header("x-hub-signature-256"));
          return c.text(status === 200 ? "ok" : status === 401 ? "unauthorized" : "retry later", status);
        },
      );
    },
    async stop() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
