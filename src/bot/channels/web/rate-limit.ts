/**
 * A fixed-window request counter per client, in memory only (client addresses are never stored or
 * logged); windows are dropped when they end.
 */
export class RateLimit {
  private readonly windows = new Map<string, { count: number; ends: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request of `client`; false when it is over the limit. */
  take(client: string, now = Date.now()): boolean {
    if (this.windows.size > 10_000) {
      for (const [k, w] of this.windows) if (w.ends <= now) this.windows.delete(k);
    }
    const w = this.windows.get(client);
    if (!w || w.ends <= now) {
      this.windows.set(client, { count: 1, ends: now + this.windowMs });
      return true;
    }
    w.count++;
    return w.count <= this.max;
  }
}
