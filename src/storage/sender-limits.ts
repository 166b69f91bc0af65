import pg from "pg";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { type Database, ignoreIdleClientError } from "./database.ts";

/**
 * What is counted per sender (pseudonym) here. Messages a minute are counted on the conversation row
 * by the engine, in the statement that locks it (conversations.ts), at no extra statement.
 */
export type LimitKind = "uploads" | "reports" | "escalations";

export interface SenderLimitsConfig {
  uploadBytesPerDay: number;
  /** Non-critical reports one sender may file a day (a critical one is always filed, and not counted). */
  reportsPerDay: number;
  /** Non-critical reports of one sender that start their own escalation within `burstMinutes`. */
  escalationsPerBurst: number;
  burstMinutes: number;
}

/** What a `take` found: within the limit, just past it (say so once), or still past it. */
export type LimitResult = "ok" | "first_over" | "over";

const TABLE = "sender_limit";

/**
 * Per-sender limits with rate-limiter-flexible, keyed by the pseudonym: PostgreSQL is the store on
 * PostgreSQL (shared by every process), memory on PGlite (one process). A store failure lets the
 * message through: limits protect the service, they must never silence someone in danger.
 */
export class SenderLimits {
  private constructor(
    private readonly limiters: Record<LimitKind, { limiter: RateLimiterAbstract; points: number }>,
    private readonly pool: pg.Pool | undefined,
  ) {}

  static async open(db: Database, config: SenderLimitsConfig): Promise<SenderLimits> {
    const specs: Record<LimitKind, { points: number; duration: number }> = {
      uploads: { points: config.uploadBytesPerDay, duration: 86_400 },
      reports: { points: config.reportsPerDay, duration: 86_400 },
      escalations: { points: config.escalationsPerBurst, duration: config.burstMinutes * 60 },
    };
    let pool: pg.Pool | undefined;
    if (db.kind === "postgres" && db.url) {
      pool = new pg.Pool({ connectionString: db.url, max: 2 });
      pool.on("error", ignoreIdleClientError);
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
      );
    }
    const make = (kind: LimitKind) => {
      const { points, duration } = specs[kind];
      const opts = { keyPrefix: kind, points, duration };
      const limiter = pool
        ? new RateLimiterPostgres({
            ...opts,
            storeClient: pool,
            storeType: "pool",
            tableName: TABLE,
            tableCreated: true,
          })
        : new RateLimiterMemory(opts);
      return { limiter, points };
    };
    return new SenderLimits(
      {
        uploads: make("uploads"),
        reports: make("reports"),
        escalations: make("escalations"),
      },
      pool,
    );
  }

  /** Counts `points` (a message, bytes, an escalation) for `key`. */
  async take(kind: LimitKind, key: string, points = 1): Promise<LimitResult> {
    const { limiter, points: limit } = this.limiters[kind];
    try {
      await limiter.consume(key, points);
      return "ok";
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return "ok";
      return rejection.consumedPoints - points <= limit ? "first_over" : "over";
    }
  }

  /** Forgets every count of `key` (`/hapus`). */
  async forget(key: string): Promise<void> {
    for (const { limiter } of Object.values(this.limiters)) await limiter.delete(key).catch(() => false);
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}
