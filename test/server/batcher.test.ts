// The coalescing of concurrent database calls that the join path uses.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher } from '../../server/src/db/batcher.js';

/** A batch function that records each batch and lets the test decide when it answers. */
function recorder() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes(13)) throw new Error('thirteen');
    return items.map((n) => n * 10);
  };
  const openAll = () => {
    for (const open of gates.splice(0)) open();
  };
  return { batches, run, openAll };
}

/** Turns of the event loop until `done` holds; a bounded number, so a bug fails instead of hanging. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(done(), 'the batcher did not get there');
}

it('calls made in the same turn of the event loop share one batch, answered in order', async () => {
  const { batches, run, openAll } = recorder();
  const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 1 });
  const answers = Promise.all([1, 2, 3].map((n) => batcher.add(n)));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[1, 2, 3]]);
  openAll();
  assert.deepEqual(await answers, [10, 20, 30]);
});

it('calls made while the batches are out wait and leave together, at most maxBatch at a time', async () => {
  const { batches, run, openAll } = recorder();
  const batcher = new Batcher(run, { maxBatch: 2, maxInFlight: 1 });
  const first = batcher.add(1);
  await new Promise((resolve) => setImmediate(resolve));
  const later = [2, 3, 4].map((n) => batcher.add(n));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(batches, [[1]], 'one batch out, the rest queued');
  assert.deepEqual(batcher.pending, { queued: 3, inFlight: 1 });
  openAll();
  assert.equal(await first, 10);
  await until(() => batches.length === 2);
  assert.deepEqual(batches, [[1], [2, 3]]);
  openAll();
  await until(() => batches.length === 3);
  assert.deepEqual(batches, [[1], [2, 3], [4]]);
  openAll();
  assert.deepEqual(await Promise.all(later), [20, 30, 40]);
  assert.deepEqual(batcher.pending, { queued: 0, inFlight: 0 });
});

it('a failed batch is retried item by item, so only the bad item fails', async () => {
  const { batches, run, openAll } = recorder();
  const batcher = new Batcher(run, { maxBatch: 10, maxInFlight: 2 });
  const results = Promise.allSettled([12, 13, 14].map((n) => batcher.add(n)));
  await new Promise((resolve) => setImmediate(resolve));
  openAll();
  // The retries are three batches of one, started once the first batch has failed.
  await until(() => batches.length === 4);
  openAll();
  const settled = await results;
  assert.deepEqual(batches, [[12, 13, 14], [12], [13], [14]]);
  assert.deepEqual(
    settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [120, 'thirteen', 140],
  );
});

it('a batch answering the wrong number of results fails its items rather than misattributing', async () => {
  const batcher = new Batcher((items: number[]) => Promise.resolve(items.slice(1)), { maxBatch: 10, maxInFlight: 1 });
  await assert.rejects(batcher.add(1), /answered 0 results for 1 items/);
});
