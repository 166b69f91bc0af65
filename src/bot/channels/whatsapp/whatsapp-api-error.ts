/** Graph error codes the engine reacts to. */
export const GRAPH_ERROR = {
  /** More than 24 hours since the user's last message: only an approved template can be sent. */
  windowClosed: 131047,
  /** Message undeliverable (e.g. the number is not on WhatsApp, or an old app). */
  undeliverable: 131026,
  /** Cloud API throughput limit reached. */
  rateLimited: 130429,
  /** Too many messages to this one user. */
  pairRateLimited: 131056,
} as const;

/** Codes worth retrying later even though the HTTP status is 4xx. */
const RETRYABLE_CODES = new Set<number>([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004]);

/**
 * The Graph API (or the network on the way to it) said no. Mirrors grammY's `GrammyError`: `status` is the
 * HTTP status (0 when no response arrived), `code` the Graph error code when there was one.
 */
export class WhatsAppApiError extends Error {
  override readonly name = "WhatsAppApiError";
  readonly status: number;
  readonly code: number | undefined;
  /** True when the same request may succeed later (network, 5xx, rate limits); false for e.g. 131047. */
  readonly retryable: boolean;
  /** Server-suggested wait before a retry, when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    fields: { status: number; code?: number; retryable?: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: fields.cause });
    this.status = fields.status;
    this.code = fields.code;
    this.retryable = fields.retryable ?? isRetryable(fields.status, fields.code);
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** The 24-hour customer service window is closed; send a template or wait for the user. */
  get windowClosed(): boolean {
    return this.code === GRAPH_ERROR.windowClosed;
  }
}

/** Retry policy: no response, 429 and 5xx are retryable, as are Graph's throttling and transient codes. */
export function isRetryable(status: number, code: number | undefined): boolean {
  if (code !== undefined && RETRYABLE_CODES.has(code)) return true;
  return status === 0 || status === 429 || status >= 500;
}
