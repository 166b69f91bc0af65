import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { json } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";

/** What grammY passes to its `fetch` (see `ApiClient.call`): a method, headers and a body. */
interface BotApiInit {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON string, or a multipart stream for uploads. */
  body?: string | NodeJS.ReadableStream | null;
  signal?: {
    aborted: boolean;
    addEventListener(type: "abort", listener: () => void): void;
    removeEventListener(type: "abort", listener: () => void): void;
  } | null;
}

/** What grammY reads of the response: only its JSON body. */
export interface BotApiResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type BotApiFetch = (url: string, init?: BotApiInit) => Promise<BotApiResponse>;

/** Connections kept open to the Bot API per agent; sends beyond it queue for a free one. */
const MAX_SOCKETS = 64;

/**
 * The HTTP client under grammY's API calls: node's own `http`/`https` request on a keep-alive
 * agent, instead of grammY's default, node-fetch, which builds a WHATWG `Request`, `Headers` and
 * body stream for every call (a fifth of the service's allocations under load). undici's `request`
 * was as fast but its code and parser cost the process about 21 MB of memory, a tenth of the
 * PostgreSQL deployment's budget. grammY still builds each call, enforces its timeout (through
 * `signal`) and turns every failure here into an `HttpError`; this only moves bytes.
 *
 * Keep-alive sockets are reused most-recently-used first (`lifo`), so idle ones age out, and node's
 * agent closes an idle socket before a server's announced `Keep-Alive: timeout`. A socket the server
 * closed anyway fails that one call as an `HttpError`, which the outbox sends again later.
 */
export function botApiFetch(): BotApiFetch {
  const options = { keepAlive: true, maxSockets: MAX_SOCKETS, scheduling: "lifo" } as const;
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  return (url, init = {}) =>
    new Promise<BotApiResponse>((resolve, reject) => {
      const secure = url.startsWith("https:");
      const request = secure ? httpsRequest : httpRequest;
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const req = request(url, {
        agent: secure ? https : http,
        method: init.method ?? "GET",
        ...(init.headers ? { headers: init.headers } : {}),
      });
      const onAbort = () => req.destroy(abortError());
      signal?.addEventListener("abort", onAbort);
      req.once("close", () => signal?.removeEventListener("abort", onAbort));
      req.once("error", reject);
      req.once("response", (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // Read at once, so a socket dropped mid-body fails this read (no unhandled rejection meanwhile).
        const body = json(res);
        body.catch(() => {});
        resolve({ ok: status >= 200 && status < 300, status, json: () => body });
      });
      const body = init.body;
      if (body == null) req.end();
      else if (typeof body === "string") req.end(body);
      else pipeline(body, req).catch((error: Error) => req.destroy(error));
    });
}

function abortError(): Error {
  const error = new Error("the call was aborted");
  error.name = "AbortError";
  return error;
}
