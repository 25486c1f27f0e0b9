// Runs in Chromium: 100 remote participants, speaker changes at 20 per second, then 10,000 events
// as fast as they come. Reports to the driving script through `window.benchResult`.
import { MeetingController } from '../../../src/core/controller/meeting-controller.js';
import { SyntheticRoom, syntheticMeetingApi } from './synthetic-room.js';

async function run() {
  const room = new SyntheticRoom(100);
  // The join goes to a server stand-in that admits at once; only the room matters here.
  const api = syntheticMeetingApi('host');
  const controller = new MeetingController({ api, meetingId: 'm', roomFactory: () => room.asRoom() });
  await controller.join({ displayName: 'Me' });

  const durations: number[] = [];
  let pendingSince = 0;
  let delivered = 0;
  const unsubscribe = controller.subscribe(() => {
    if (pendingSince > 0) {
      durations.push(performance.now() - pendingSince);
      pendingSince = 0;
    }
    delivered++;
  });

  const ids = [...room.remoteParticipants.keys()];
  const pick = (i: number) => ids[(i * 37) % ids.length] ?? 'p0';

  // Phase 1: 20 speaker changes per second for 5 seconds, as a busy meeting produces them.
  const deliveredBefore = delivered;
  const started = performance.now();
  for (let i = 0; i < 100; i++) {
    pendingSince = performance.now();
    room.speak([pick(i), pick(i + 1)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = (delivered - deliveredBefore) / seconds;

  // Phase 2: 10,000 events back to back; the heap must not keep what they produced.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  const heapBefore = memory?.usedJSHeapSize ?? 0;
  const burstStarted = performance.now();
  for (let i = 0; i < 10000; i++) {
    pendingSince = performance.now();
    room.speak([pick(i)]);
    if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const burstMs = performance.now() - burstStarted;
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  const heapAfter = memory?.usedJSHeapSize ?? 0;
  unsubscribe();
  await controller.dispose();

  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(durations.length * q))] ?? NaN;
  return {
    participants: room.size + 1,
    updatesPerSecond: perSecond,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    samples: durations.length,
    burstMeanMs: burstMs / 10000,
    heapGrowthKb: memory ? (heapAfter - heapBefore) / 1024 : null,
    heapAfterKb: heapAfter / 1024,
    listenersLeft: room.listenerCount,
  };
}

(window as { benchResult?: Promise<unknown> }).benchResult = run();
