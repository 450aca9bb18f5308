// Webhook delivery: each trigger is POSTed as JSON to every URL. The queue is bounded (the
// oldest is dropped and counted when it is full), delivery runs beside the listener and never
// blocks it, and a failed POST is retried with exponential backoff (1 s, 2 s, 4 s ... capped).
import type { Trigger } from './trigger.js';

interface Item {
  url: string;
  body: string;
  attempt: number;
  dueMs: number;
}

export interface WebhookOptions {
  maxQueue?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  concurrency?: number;
  onError?: (message: string) => void;
}

export class WebhookSender {
  private readonly queue: Item[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  delivered = 0;
  failed = 0;
  dropped = 0;
  private readonly o: Required<Omit<WebhookOptions, 'onError'>> & Pick<WebhookOptions, 'onError'>;

  constructor(
    private readonly urls: string[],
    opts: WebhookOptions = {},
  ) {
    this.o = { maxQueue: 1000, maxAttempts: 6, timeoutMs: 5000, baseDelayMs: 1000, maxDelayMs: 60_000, concurrency: 4, ...opts };
  }

  send(t: Trigger): void {
    if (this.urls.length === 0 || this.stopped) return;
    const body = JSON.stringify(t);
    for (const url of this.urls) {
      if (this.queue.length >= this.o.maxQueue) {
        this.queue.shift();
        this.dropped++;
      }
      this.queue.push({ url, body, attempt: 0, dueMs: Date.now() });
    }
    this.pump();
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    let nextDue = Infinity;
    for (let i = 0; i < this.queue.length && this.inFlight < this.o.concurrency; ) {
      const item = this.queue[i]!;
      if (item.dueMs <= now) {
        this.queue.splice(i, 1);
        this.inFlight++;
        void this.post(item);
      } else {
        nextDue = Math.min(nextDue, item.dueMs);
        i++;
      }
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (nextDue < Infinity) {
      this.timer = setTimeout(() => this.pump(), Math.max(10, nextDue - now));
      this.timer.unref();
    }
  }

  private async post(item: Item): Promise<void> {
    let ok = false;
    let why = '';
    try {
      const r = await fetch(item.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.body, signal: AbortSignal.timeout(this.o.timeoutMs) });
      ok = r.status >= 200 && r.status < 300;
      if (!ok) why = `HTTP ${r.status}`;
      await r.body?.cancel().catch(() => undefined);
    } catch (e) {
      why = (e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message;
    }
    this.inFlight--;
    if (ok) this.delivered++;
    else if (item.attempt + 1 >= this.o.maxAttempts) {
      this.failed++;
      this.o.onError?.(`webhook ${item.url}: giving up after ${item.attempt + 1} attempts (${why})`);
    } else {
      item.attempt++;
      item.dueMs = Date.now() + Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (item.attempt - 1));
      if (this.queue.length >= this.o.maxQueue) this.dropped++;
      else this.queue.push(item);
    }
    this.pump();
  }

  /** Try to deliver what is queued within `graceMs`, then stop. */
  async drain(graceMs: number): Promise<void> {
    const end = Date.now() + graceMs;
    while (this.pending > 0 && Date.now() < end) {
      for (const q of this.queue) q.dueMs = Math.min(q.dueMs, Date.now());
      this.pump();
      await new Promise((r) => setTimeout(r, 20));
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
