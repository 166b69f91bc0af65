import type { Database } from "../storage/database.ts";
import { type ClaimRef, markSentMany } from "../storage/outbox.ts";

/**
 * Marks sent outbox messages for the dispatcher, several sends by one statement (as the engine
 * commits events together), so a busy dispatcher runs one statement per handful of sends instead
 * of one per send. On PostgreSQL, sends that finish while a mark statement runs are marked together
 * by the next one. PGlite runs one statement at a time, queued behind the engine's transactions: a
 * mark that waited for the one before it would wait there twice and hold up the next round (a
 * tier-1 alert among it), so there the sends that finish in one turn of the event loop are marked
 * together, at once. Each caller waits for its own mark; a crash repeats at most the sends in
 * flight or awaiting their mark: one per recipient.
 */
export class SentMarks {
  private readonly waiting: PendingMark[] = [];
  private marking = false;
  private scheduled = false;

  constructor(
    private readonly db: Database,
    private readonly onSent?: () => void,
  ) {}

  /** Marks the claim `ref` sent (only while that claim still holds the message). */
  mark(ref: ClaimRef & { externalId: string | undefined }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...ref, resolve, reject });
      if (this.db.kind !== "pglite") {
        if (!this.marking) void this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          const batch = this.waiting.splice(0, this.waiting.length);
          void this.run(batch, () => markSentMany(this.db, batch));
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.marking = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.waiting.length);
        await this.run(batch, () => markSentMany(this.db, batch));
      }
    } finally {
      this.marking = false;
    }
  }

  private async run(batch: PendingMark[], statement: () => Promise<unknown>): Promise<void> {
    try {
      await statement();
      for (const mark of batch) {
        this.onSent?.();
        mark.resolve();
      }
    } catch (error) {
      for (const mark of batch) mark.reject(error);
    }
  }
}

interface PendingMark extends ClaimRef {
  externalId: string | undefined;
  resolve(): void;
  reject(error: unknown): void;
}
