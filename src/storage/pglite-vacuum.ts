import type { PGlite } from "@electric-sql/pglite";

/**
 * The tables every message writes again (outbox claims and marks, the conversation row, pg-boss's
 * jobs) and the one the purge deletes from in bulk.
 */
export const VACUUMED_TABLES = ["outbox_message", "conversation", "inbound_receipt", "pgboss.job"] as const;

export interface VacuumOptions {
  /** Vacuum after this many rows written by the hot statements. */
  everyWrites?: number;
  /** …or after this long with at least one write (and once, this long after opening). */
  everyMs?: number;
  /** How often to look. */
  checkMs?: number;
  /** Told about a failed vacuum (the next look tries again). */
  onError?: (error: unknown) => void;
}

/**
 * PGlite has no autovacuum: without it every update leaves its old row version and index entries
 * behind for good, and the outbox claim, which looks for pending messages through an index that
 * still points at every message ever sent, grew from a fraction of a millisecond to over 100 ms
 * after some 30,000 messages, holding every other statement behind it. This vacuums the hot
 * tables in the background (each `VACUUM` waits for running transactions and blocks the embedded
 * database while it runs: a few milliseconds when done often). `wrote(rows)` counts written rows.
 */
export function startVacuum(
  pglite: PGlite,
  opts: VacuumOptions = {},
): { wrote(rows?: number): void; stop(): Promise<void> } {
  const everyWrites = opts.everyWrites ?? 2_000;
  const everyMs = opts.everyMs ?? 60_000;
  let writes = 0;
  // The first look after `everyMs` vacuums whatever an earlier run left behind.
  let pendingSince: number | undefined = Date.now();
  let running: Promise<void> | undefined;
  let stopped = false;

  async function vacuum(): Promise<void> {
    writes = 0;
    pendingSince = undefined;
    for (const table of VACUUMED_TABLES) {
      if (stopped) return;
      try {
        await pglite.exec(`VACUUM ${table}`);
      } catch (error) {
        // pg-boss creates its schema at start; before that its table is simply not there yet.
        const code = (error as { code?: string }).code;
        if (code !== "42P01" && code !== "3F000") opts.onError?.(error);
      }
    }
  }

  function look(): void {
    if (running || stopped || pendingSince === undefined) return;
    if (writes < everyWrites && Date.now() - pendingSince < everyMs) return;
    running = vacuum().finally(() => {
      running = undefined;
    });
  }

  const timer = setInterval(look, opts.checkMs ?? 2_000);
  timer.unref();
  return {
    wrote(rows = 1) {
      writes += rows;
      pendingSince ??= Date.now();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
