import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { type Database, type Tx, txExecutor } from "../storage/database.ts";
import type { JobScheduler } from "./engine.ts";

/** A job handler; throwing makes pg-boss retry the job with backoff. */
export type JobHandler = (data: unknown, jobId: string) => Promise<void>;

export interface JobQueueOptions {
  db: Database;
  log: Logger;
  /** Seconds between polls for due jobs (pg-boss minimum 0.5). */
  pollingIntervalSeconds?: number;
}

/**
 * Durable jobs on pg-boss 10 in the service's own database: flow timers, escalation steps and the
 * retention purge. Jobs are enqueued inside the caller's transaction, so a rolled-back event
 * leaves no job and a committed one survives a crash.
 */
export class JobQueue implements JobScheduler {
  private readonly boss: PgBoss;
  private readonly queues = new Set<string>();
  private started = false;

  constructor(private readonly opts: JobQueueOptions) {
    const common = {
      schema: "pgboss",
      supervise: true,
      schedule: true,
      migrate: true,
      monitorStateIntervalSeconds: 60,
    };
    this.boss =
      opts.db.kind === "postgres"
        ? new PgBoss({ ...common, connectionString: opts.db.url!, max: 4 })
        : new PgBoss({ ...common, db: opts.db.sql as PgBoss.Db });
    this.boss.on("error", (error) => opts.log.error({ err: error.message }, "job queue error"));
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  /** Creates `queue` (idempotent) with retries and backoff. */
  async ensureQueue(queue: string): Promise<void> {
    if (this.queues.has(queue)) return;
    const existing = await this.boss.getQueue(queue);
    if (!existing) {
      await this.boss.createQueue(queue, {
        name: queue,
        retryLimit: 10,
        retryDelay: 2,
        retryBackoff: true,
        expireInSeconds: 300,
      });
    }
    this.queues.add(queue);
  }

  /** Starts a worker for `queue`; each job's data goes to `handler`. */
  async work(queue: string, handler: JobHandler): Promise<void> {
    await this.ensureQueue(queue);
    await this.boss.work(
      queue,
      { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 1, batchSize: 5 },
      async (jobs) => {
        for (const job of jobs) await handler(job.data, job.id);
      },
    );
  }

  async scheduleInTx(tx: Tx, queue: string, data: object, startAfter: Date): Promise<string | null> {
    if (!this.queues.has(queue)) throw new Error(`job queue ${queue} was not created at start`);
    return this.boss.send(queue, data, { startAfter, db: txExecutor(tx) as PgBoss.Db });
  }

  async cancelInTx(tx: Tx, queue: string, id: string): Promise<void> {
    await this.boss.deleteJob(queue, id, { db: txExecutor(tx) as PgBoss.Db });
  }

  async sendNow(queue: string, data: object, startAfter?: Date): Promise<string | null> {
    await this.ensureQueue(queue);
    return this.boss.send(queue, data, startAfter ? { startAfter } : {});
  }

  /** Runs `queue` on a cron schedule (in UTC). */
  async cron(queue: string, expression: string): Promise<void> {
    await this.ensureQueue(queue);
    await this.boss.schedule(queue, expression, {});
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  }
}
