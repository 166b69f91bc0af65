import { GraphApiError, WhatsAppClient as KapsoClient } from "@kapso/whatsapp-cloud-api";
import { z } from "zod";
import type { WhatsAppSend } from "./send-schema.ts";
import { followupTemplate, readReceipt } from "./to-whatsapp.ts";
import { WhatsAppApiError } from "./whatsapp-api-error.ts";

/** How the WhatsApp client reaches the Graph API. */
export interface WhatsAppClientConfig {
  accessToken: string;
  phoneNumberId: string;
  /** Graph API root, `WHATSAPP_API_BASE_URL` (tests point it at a local fake). */
  baseUrl?: string;
  /** Graph API version, e.g. `v23.0`. */
  graphVersion?: string;
  fetch?: typeof fetch;
  /** Largest media file to download; bigger ones fail with a non-retryable error. Default 16 MB. */
  maxMediaBytes?: number;
}

/** The network side of the WhatsApp channel. Every method throws {@link WhatsAppApiError} on failure. */
export interface WhatsAppClient {
  /** Posts a rendered send to `to` (a wa_id); resolves with the new wamid. */
  send(to: string, body: WhatsAppSend): Promise<{ messageId: string }>;
  /** Marks an inbound message as read. */
  markRead(wamid: string): Promise<void>;
  /** Sends an approved template (for follow-ups outside the 24-hour window). */
  sendTemplate(
    to: string,
    name: string,
    lang: string,
    params?: readonly string[],
  ): Promise<{ messageId: string }>;
  /** Uploads a file for sending (`POST /{phone_number_id}/media`); resolves with the media id. */
  uploadMedia(file: { bytes: Uint8Array; mime: string; filename: string }): Promise<{ mediaId: string }>;
  /** Downloads inbound media in two steps: metadata (short-lived URL), then the bytes with the bearer token. */
  downloadMedia(mediaId: string): Promise<{ bytes: Uint8Array; mime: string }>;
}

const sendResponseSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const uploadResponseSchema = z.object({ id: z.string().min(1) });
const mediaMetaSchema = z.object({
  url: z.string().url(),
  mimeType: z.string().min(1),
  fileSize: z.coerce.number().optional(),
});

/**
 * Builds the client over `@kapso/whatsapp-cloud-api`. Sends go through its `messages.sendRaw`, because our
 * bodies are already rendered and limit-checked plain data (its typed builders are bound to sending).
 * Media uses its `media.get` and authenticated `fetch` rather than `media.download`: `download` returns the
 * body without checking the HTTP status and drops the MIME type, and we need both. Uploads use its
 * `media.upload` (multipart `messaging_product`, `type`, `file`), given a typed Blob so the file part
 * carries the real MIME type.
 */
export function createWhatsAppClient(config: WhatsAppClientConfig): WhatsAppClient {
  const kapso = new KapsoClient({
    accessToken: config.accessToken,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.graphVersion ? { graphVersion: config.graphVersion } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  const maxBytes = config.maxMediaBytes ?? 16 * 1024 * 1024;
  const post = (payload: Record<string, unknown>) =>
    guard("send", () => kapso.messages.sendRaw({ phoneNumberId: config.phoneNumberId, payload }));

  async function send(to: string, body: WhatsAppSend): Promise<{ messageId: string }> {
    const response = sendResponseSchema.safeParse(await post({ ...body, to }));
    if (!response.success) {
      // The message may have gone out; a retry could duplicate it.
      throw new WhatsAppApiError("WhatsApp send: unexpected response", { status: 200, retryable: false });
    }
    return { messageId: response.data.messages[0]?.id ?? "" };
  }

  return {
    send,
    async markRead(wamid) {
      await post(readReceipt(wamid));
    },
    sendTemplate: (to, name, lang, params = []) => send(to, followupTemplate(name, lang, params)),
    async uploadMedia(file) {
      const blob = new Blob([new Uint8Array(file.bytes)], { type: file.mime });
      const response = uploadResponseSchema.safeParse(
        await guard("media upload", () =>
          kapso.media.upload({
            phoneNumberId: config.phoneNumberId,
            type: file.mime,
            file: blob,
            fileName: file.filename,
          }),
        ),
      );
      if (!response.success) {
        // Nothing was sent yet; an upload can be repeated safely.
        throw new WhatsAppApiError("WhatsApp media upload: unexpected response", {
          status: 200,
          retryable: true,
        });
      }
      return { mediaId: response.data.id };
    },
    async downloadMedia(mediaId) {
      const meta = mediaMetaSchema.safeParse(await guard("media lookup", () => kapso.media.get({ mediaId })));
      if (!meta.success) {
        throw new WhatsAppApiError("WhatsApp media lookup: unexpected response", {
          status: 200,
          retryable: true,
        });
      }
      if (meta.data.fileSize !== undefined && meta.data.fileSize > maxBytes)
        throw tooLarge(meta.data.fileSize);
      const response = await guard("media download", () => kapso.fetch(meta.data.url));
      if (!response.ok) {
        throw new WhatsAppApiError(`WhatsApp media download failed with status ${response.status}`, {
          status: response.status,
        });
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength);
      return { bytes, mime: meta.data.mimeType };
    },
  };
}

/** Runs one library call and turns whatever it throws into a {@link WhatsAppApiError}. */
async function guard<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WhatsAppApiError) throw error;
    if (error instanceof GraphApiError) {
      const code = typeof error.code === "number" && error.code !== error.httpStatus ? error.code : undefined;
      throw new WhatsAppApiError(
        `WhatsApp ${what} failed (${error.httpStatus}${code ? `, code ${code}` : ""})`,
        {
          status: error.httpStatus,
          ...(code !== undefined ? { code } : {}),
          ...(error.retry.retryAfterMs !== undefined ? { retryAfterMs: error.retry.retryAfterMs } : {}),
          cause: error,
        },
      );
    }
    throw new WhatsAppApiError(`WhatsApp ${what}: no response`, { status: 0, cause: error });
  }
}

function tooLarge(size: number): WhatsAppApiError {
  return new WhatsAppApiError(`WhatsApp media too large (${size} bytes)`, { status: 413, retryable: false });
}
