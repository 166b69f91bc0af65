import { Agent, request } from "undici";

/** What grammY passes to its `fetch` (see `ApiClient.call`): a method, headers and a body. */
interface BotApiInit {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON string, or a multipart stream for uploads. */
  body?: string | NodeJS.ReadableStream | null;
  signal?: { aborted: boolean; addEventListener(type: "abort", listener: () => void): void } | null;
}

/** What grammY reads of the response: only its JSON body. */
export interface BotApiResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type BotApiFetch = (url: string, init?: BotApiInit) => Promise<BotApiResponse>;

/**
 * The HTTP client under grammY's API calls: undici's `request` on a keep-alive pool instead of
 * grammY's default, node-fetch over node's `http` agent, which builds a WHATWG `Request`, `Headers`
 * and body stream for every call (a fifth of the service's allocations under load). grammY still
 * builds each call, enforces its timeout and turns failures into `HttpError`; this only moves bytes.
 * undici also closes an idle connection before the server's announced keep-alive timeout, so a
 * reused socket does not meet a server that just closed it ("socket hang up").
 */
export function botApiFetch(): BotApiFetch {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return async (url, init = {}) => {
    const { statusCode, body } = await request(url, {
      dispatcher,
      method: (init.method ?? "GET") as "GET",
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body != null ? { body: init.body as string } : {}),
      ...(init.signal ? { signal: init.signal as AbortSignal } : {}),
    });
    return {
      ok: statusCode >= 200 && statusCode < 300,
      status: statusCode,
      json: () => body.json(),
    };
  };
}
