export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Reads a text/event-stream response and hands out its events, in order, as they arrive. */
export class EventStreamReader {
  private buffer = '';
  private readonly events: ServerSentEvent[] = [];
  private waiters: Array<() => void> = [];
  private done = false;
  readonly finished: Promise<void>;

  constructor(
    private readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.finished = this.pump();
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (body === null) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
          this.notify();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      this.done = true;
      this.notify();
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The next event (after those already taken) that matches; fails after `timeoutMs`. */
  async next(match: (event: ServerSentEvent) => boolean, timeoutMs = 10_000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(match);
      if (index >= 0) {
        const [found] = this.events.splice(0, index + 1).slice(-1);
        if (found) return found;
      }
      if (this.done) throw new Error('the event stream ended before a matching event');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no matching event before the deadline');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.finished;
  }
}

export async function openEventStream(url: string, token: string): Promise<{ status: number; reader: EventStreamReader | null; body: unknown }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  if (response.status !== 200) return { status: response.status, reader: null, body: await response.json() };
  return { status: 200, reader: new EventStreamReader(response, abort), body: null };
}
