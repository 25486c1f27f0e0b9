import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { listen } from '../../server/src/listen.js';

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
}

function get(url: string): Promise<{ body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, closed: false }));
      res.on('close', () => resolve({ body, closed: true }));
    })
      .on('error', reject)
      .end();
  });
}

describe('listen: shutting down', () => {
  it('lets a request in flight finish, and cuts a stream that never ends once the grace period is over', { timeout: 10_000 }, async () => {
    const streamOpen = signal();
    const slowArrived = signal();
    const shutdownStarted = signal();
    const running = await listen(
      (req, res) => {
        if (req.url === '/stream') {
          // An event stream: headers out, then open for as long as the client wants.
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(': open\n\n');
          streamOpen.fire();
          return;
        }
        slowArrived.fire();
        // Answers only once the shutdown has begun: it must still be allowed to finish.
        void shutdownStarted.promise.then(() => res.end('done'));
      },
      0,
      '127.0.0.1',
      { shutdownGraceMs: 300 },
    );
    const stream = get(`${running.url}/stream`);
    const slow = get(`${running.url}/slow`);
    await Promise.all([streamOpen.promise, slowArrived.promise]);
    const closed = running.close();
    shutdownStarted.fire();
    assert.equal((await slow).body, 'done');
    await closed;
    assert.deepEqual(await stream, { body: ': open\n\n', closed: true });
  });
});
