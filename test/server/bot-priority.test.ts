// The large-meeting bench and test rely on the bots' process giving the CPU up to the page and the
// media server (test/support/bots/bot-priority.ts): this runs it on its own process, with one thread
// put under real-time scheduling first, as WebRTC puts its threads.
import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realtimeThreads, yieldToMeasured } from '../support/bots/bot-priority.js';

const linux = process.platform === 'linux';

describe('the bots yielding the CPU', { skip: linux ? false : 'Linux only: thread priorities are read from /proc' }, () => {
  it('takes every thread to nice 19 and off real-time scheduling, then gives nice 0 back', () => {
    // The main thread (its tid is the pid) under SCHED_RR at priority 1.
    execFileSync('chrt', ['-r', '-p', '1', String(process.pid)]);
    assert.ok(realtimeThreads() >= 1, 'the main thread is real-time before');
    const yielded = yieldToMeasured();
    try {
      assert.ok(yielded.realtime >= 1, `real-time threads seen: ${String(yielded.realtime)}`);
      assert.ok(yielded.threads >= yielded.realtime);
      assert.equal(realtimeThreads(), 0);
      assert.equal(getPriority(), 19);
    } finally {
      assert.equal(yielded.restore(), true);
    }
    assert.equal(getPriority(), 0);
  });
});
