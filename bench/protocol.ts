import type { MemoryBreakdown } from "./common.ts";

/** What bench/run.ts (parent) and bench/target.ts (child webhook target) share. */

export const BENCH_TOKEN = "900000002:BENCHtokenBENCHtokenBENCHtoken_01";
export const BENCH_SECRET = "bench-webhook-secret_0123";
export const WEBHOOK_PATH = "/telegram/webhook";
/** Relative to bench/; imported dynamically so the bench still runs (and skips part 2) without it. */
export const TELEGRAM_CHANNEL_MODULE = "../src/bot/channels/telegram/telegram-channel.ts";

export type TargetKind = "ours" | "base" | "durable";
export type ToChild = { type: "drain" } | { type: "stop" };
export type FromChild =
  | { type: "ready"; port: number; rss: number }
  | {
      type: "drained";
      ms: number;
      statuses: Record<string, number>;
      rss: number;
      /** The highest RSS since the previous drain (sampled every 100 ms): during the load. */
      rssPeak: number;
      memory: MemoryBreakdown;
    }
  | { type: "stopped"; rss: number }
  | { type: "failed"; error: string };
/** Conversations stored in the service's database before the load (memory is measured with them). */
export const SEEDED_CONVERSATIONS = 10_000;
