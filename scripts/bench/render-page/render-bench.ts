// Runs in Chromium: first render of <meeting-room>, then the grid's update after each speaker change
// in a synthetic 100-person call (the controller's page keeps ≤ 25 tiles in the DOM).
import '../../../src/index.js';
import { MeetingController } from '../../../src/core/controller/meeting-controller.js';
import { SyntheticRoom, syntheticMeetingApi } from '../controller-page/synthetic-room.js';

async function run() {
  // 1. First render of the room after the module loaded.
  const started = performance.now();
  const room = document.createElement('meeting-room');
  room.meetingId = 'bench';
  room.server = 'http://bench.invalid';
  document.body.append(room);
  await room.updateComplete;
  const firstRenderMs = performance.now() - started;
  const sinceScriptMs = performance.now() - (window as unknown as { benchStart: number }).benchStart;
  room.remove();

  // 2. A grid driven by a controller over a synthetic 100-person room.
  const synthetic = new SyntheticRoom(100);
  const api = syntheticMeetingApi('attendee');
  const controller = new MeetingController({ api, meetingId: 'm', roomFactory: () => synthetic.asRoom() });
  await controller.join({ displayName: 'Me' });
  const grid = document.createElement('participant-grid');
  grid.style.cssText = 'display:block;width:1280px;height:800px';
  grid.controller = controller;
  document.body.append(grid);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await grid.updateComplete;

  const ids = [...synthetic.remoteParticipants.keys()];
  const durations: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    synthetic.speak([ids[(i * 37) % ids.length] ?? 'p0']);
    // The controller refreshes and publishes in microtasks; the grid and its tiles render in Lit's
    // microtask-based update cycle. No timer is involved, so none is measured.
    for (let k = 0; k < 3; k++) await new Promise<void>((resolve) => queueMicrotask(resolve));
    await grid.updateComplete;
    const tiles = [...(grid.shadowRoot?.querySelectorAll('participant-tile') ?? [])];
    await Promise.all(tiles.map((t) => (t as unknown as { updateComplete: Promise<unknown> }).updateComplete));
    durations.push(performance.now() - t0);
    // Let the browser paint between changes, as it would between real speaker updates.
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  const tileCount = grid.shadowRoot?.querySelectorAll('participant-tile').length ?? 0;
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(durations.length * q))] ?? NaN;
  await controller.dispose();
  return { firstRenderMs, sinceScriptMs, medianMs: at(0.5), p95Ms: at(0.95), tileCount, pageSize: controller.state.pageSize };
}

(window as { benchResult?: Promise<unknown> }).benchResult = run();
