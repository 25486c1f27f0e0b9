// Server-sent events read with fetch, so the bearer travels in a header (EventSource cannot send one).

export interface ServerEvent {
  event: string;
  data: unknown;
}

/**
 * Reads `url` as an event stream, calling `onEvent` for each event, until `signal` aborts or the
 * server closes. Resolves on a clean end; rejects on an HTTP error or a broken connection.
 */
export async function readEventStream(
  url: string,
  bearer: string | null,
  onEvent: (event: ServerEvent) => void,
  signal: AbortSignal,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetchImpl(url, { headers, signal });
  if (!response.ok || !response.body) throw new Error(`event stream answered ${String(response.status)}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf('\n\n');
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      try {
        onEvent({ event: name, data: JSON.parse(data.join('\n')) as unknown });
      } catch {
        // A malformed event is skipped; the stream goes on.
      }
    }
  }
}
