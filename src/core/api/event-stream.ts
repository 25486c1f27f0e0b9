// Server-sent events read with fetch, so the bearer travels in a header (EventSource cannot send one),
// and followed across drops: a token server that restarts is reconnected with backoff, resuming from
// the last event id when the server sends ids (it sends its current state on every connect anyway).
import { MeetingError, isTransient } from './meeting-error.js';

export interface ServerEvent {
  event: string;
  data: unknown;
  /** The event's `id:` line, when the server sends one. */
  id?: string;
}

export interface ReadOptions {
  fetch?: typeof fetch;
  /** Sent as `Last-Event-ID`, so a server that numbers its events can send only what was missed. */
  lastEventId?: string | undefined;
  /** Called once the server has answered 200, before the first event. */
  onOpen?: () => void;
}

/**
 * Reads `url` as an event stream, calling `onEvent` for each event, until `signal` aborts or the
 * server closes. Resolves on a clean end; rejects with a MeetingError on an HTTP error (with its
 * status) or a broken connection (`NETWORK_ERROR`).
 */
export async function readEventStream(
  url: string,
  bearer: string | null,
  onEvent: (event: ServerEvent) => void,
  signal: AbortSignal,
  options: ReadOptions = {},
): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, signal });
  } catch (error) {
    throw new MeetingError(signal.aborted ? MeetingError.ABORTED : MeetingError.NETWORK, `The event stream could not be reached (${(error as Error).message}).`);
  }
  if (!response.ok || !response.body) {
    let code = response.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR';
    let details: unknown;
    try {
      const body = (await response.json()) as { error?: { code?: string; details?: unknown } };
      code = body.error?.code ?? code;
      // The card stream names each refused meeting here, so the others can be followed again.
      details = body.error?.details;
    } catch {
      // Not the contract's error shape (a proxy's page, say).
    }
    throw new MeetingError(code, `The event stream answered ${String(response.status)}.`, response.status, details);
  }
  options.onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new MeetingError(signal.aborted ? MeetingError.ABORTED : MeetingError.NETWORK, `The event stream broke off (${(error as Error).message}).`);
    }
    if (chunk.done) return;
    buffer += chunk.value;
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      // Nothing more for a caller who stopped listening, even from a chunk already read.
      if (aborted(signal)) return;
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf('\n\n');
      let name = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        else if (line.startsWith('id:')) id = line.slice(3).trim();
      }
      if (data.length === 0) continue;
      try {
        onEvent({ event: name, data: JSON.parse(data.join('\n')) as unknown, ...(id === undefined ? {} : { id }) });
      } catch {
        // A malformed event is skipped; the stream goes on.
      }
    }
  }
}

export interface FollowOptions {
  fetch?: typeof fetch;
  /** Waits `ms` unless `signal` aborts first (false then); the caller's timers, so they can be counted and cleared. */
  pause: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /** The delay before reconnect attempt `attempt` (1 = the first). */
  delay: (attempt: number) => number;
  /** The stream is open; `resumed` is true after a drop. */
  onOpen?: (resumed: boolean) => void;
  /** The stream dropped and will be reopened. */
  onDrop?: (error: unknown) => void;
}

/**
 * Follows an event stream until `signal` aborts: reopens it after a drop or a transient failure
 * (network, 5xx, 429), with backoff, sending the last event id seen. Resolves when aborted, or when
 * the server refuses for good (a 4xx: the caller may no longer follow), with that error.
 */
export async function followEventStream(
  open: () => Promise<{ url: string; bearer: string | null }>,
  onEvent: (event: ServerEvent) => void,
  signal: AbortSignal,
  options: FollowOptions,
): Promise<MeetingError | undefined> {
  let lastEventId: string | undefined;
  let attempt = 0;
  let dropped = false;
  for (;;) {
    if (signal.aborted) return undefined;
    try {
      const { url, bearer } = await open();
      await readEventStream(
        url,
        bearer,
        (event) => {
          if (event.id !== undefined) lastEventId = event.id;
          onEvent(event);
        },
        signal,
        {
          ...(options.fetch ? { fetch: options.fetch } : {}),
          lastEventId,
          onOpen: () => {
            attempt = 0;
            options.onOpen?.(dropped);
          },
        },
      );
      if (aborted(signal)) return undefined;
      options.onDrop?.(undefined);
    } catch (error) {
      if (aborted(signal)) return undefined;
      if (!isTransient(error)) return error instanceof MeetingError ? error : undefined;
      options.onDrop?.(error);
    }
    dropped = true;
    attempt++;
    if (!(await options.pause(options.delay(attempt), signal))) return undefined;
  }
}

/** Read through a call, so the compiler does not take the signal as unchanged across an await. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
