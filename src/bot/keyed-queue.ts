import { SerialQueue } from "../storage/serial-queue.ts";

/** One {@link SerialQueue} per key, created on demand and dropped when idle. */
export class KeyedQueue {
  private readonly queues = new Map<string, SerialQueue>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new SerialQueue();
      this.queues.set(key, queue);
    }
    const q = queue;
    return q.run(task).finally(() => {
      if (q.size === 0 && this.queues.get(key) === q) this.queues.delete(key);
    });
  }

  /** Number of keys with queued or running tasks. */
  get active(): number {
    return this.queues.size;
  }

  async drain(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.drain()));
  }
}
