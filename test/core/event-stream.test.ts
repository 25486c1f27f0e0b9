// The event stream client over real HTTP: a stream that the server cuts is reopened with backoff,
// and a server that numbers its events gets the last id back, so nothing is seen twice or missed.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { followEventStream, type ServerEvent } from '../../src/core/api/event-stream.js';
import { Timers } from '../../src/core/controller/timers.js';

describe('followEventStream', () => {
  it('reopens a cut stream and resumes after the last event id', async () => {
    const { url } = await executeServerCommand<{ url: string }, { perConnection: number }>('sse-start', { perConnection: 2 });
    const timers = new Timers();
    const abort = new AbortController();
    const seen: ServerEvent[] = [];
    const opens: boolean[] = [];
    const following = followEventStream(
      () => Promise.resolve({ url, bearer: null }),
      (event) => {
        seen.push(event);
        if (seen.length === 5) abort.abort();
      },
      abort.signal,
      { pause: (ms, signal) => timers.pause(ms, signal), delay: () => 50, onOpen: (resumed) => opens.push(resumed) },
    );
    const result = await following;
    const { lastEventIds } = await executeServerCommand<{ lastEventIds: Array<string | null> }, undefined>('sse-stop');
    expect(result).to.equal(undefined);
    expect(seen.map((e) => [e.event, e.id, e.data])).to.deep.equal([
      ['tick', '1', 1],
      ['tick', '2', 2],
      ['tick', '3', 3],
      ['tick', '4', 4],
      ['tick', '5', 5],
    ]);
    expect(lastEventIds).to.deep.equal([null, '2', '4']);
    expect(opens).to.deep.equal([false, true, true]);
    expect(timers.size).to.equal(0);
  });
});
