// The call's running time in the top bar, read from the meeting's `startedAt` (the server's clock)
// on a clock the test holds still and turns by hand: no sleeps, and the test sees every interval.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { MeetingClock } from '../../src/internal/elapsed-clock.js';
import { deep, until } from '../support/room-driver.js';
import { syntheticCall } from './synthetic-call.js';

const STARTED = Date.parse('2026-03-02T09:00:00.000Z');

/** A clock that moves only when told to, and counts the intervals left running. */
class HandClock implements MeetingClock {
  private readonly runs = new Set<() => void>();
  constructor(private at: number) {}
  get intervals(): number {
    return this.runs.size;
  }
  now(): number {
    return this.at;
  }
  every(_ms: number, run: () => void): () => void {
    // Each call gets its own entry, even for the same function.
    const entry = () => {
      run();
    };
    this.runs.add(entry);
    return () => {
      this.runs.delete(entry);
    };
  }
  /** Moves on `seconds`, firing each interval once a second as the real one would. */
  advance(seconds: number): void {
    for (let i = 0; i < seconds; i++) {
      this.at += 1000;
      for (const run of [...this.runs]) run();
    }
  }
}

async function roomWith(clock: HandClock, meeting: Record<string, unknown>, lang = 'en') {
  const call = await syntheticCall(2, 'host', 'Ada Lovelace', meeting);
  const room = await fixture<MeetingRoom>(html`<meeting-room lang=${lang} .clock=${clock} style="height:480px"></meeting-room>`);
  room.controller = call.controller;
  await until('the top bar', () => deep(room, ['[part~="topbar"]']).length === 1);
  return { call, room, elapsed: () => deep<HTMLElement>(room, ['[part~="elapsed"]'])[0] };
}

describe('<meeting-room> running time', function () {
  this.timeout(20000);

  it('shows m:ss from startedAt with a label, as a timer that is not announced, and ticks once a second', async () => {
    const clock = new HandClock(STARTED + (12 * 60 + 34) * 1000);
    const { call, room, elapsed } = await roomWith(clock, { startedAt: new Date(STARTED).toISOString() });
    await until('the running time', () => elapsed() !== undefined);
    const el = elapsed()!;
    expect(el.textContent).to.equal('12:34');
    expect(el.getAttribute('aria-label')).to.equal('Meeting time 12:34');
    expect(el.getAttribute('role')).to.equal('timer');
    expect(el.hasAttribute('aria-live')).to.equal(false);
    expect(el.closest('[aria-live]')).to.equal(null);
    expect(getComputedStyle(el).fontVariantNumeric).to.equal('tabular-nums');
    expect(clock.intervals).to.equal(1);

    clock.advance(2);
    await room.updateComplete;
    expect(elapsed()!.textContent).to.equal('12:36');
    await call.controller.dispose();
  });

  it('shows h:mm:ss past an hour, in French too', async () => {
    const clock = new HandClock(STARTED + (3600 + 2 * 60 + 3) * 1000);
    const { call, elapsed } = await roomWith(clock, { startedAt: new Date(STARTED).toISOString() }, 'fr');
    await until('the running time', () => elapsed()?.getAttribute('aria-label') === 'Durée de la réunion 1:02:03');
    expect(elapsed()!.textContent).to.equal('1:02:03');
    await call.controller.dispose();
  });

  it('is absent, with no timer, when the start time is unknown', async () => {
    const clock = new HandClock(STARTED);
    const { call, room } = await roomWith(clock, { startedAt: null });
    await room.updateComplete;
    expect(deep(room, ['[part~="elapsed"]'])).to.have.length(0);
    expect(deep(room, ['[part~="title"]'])).to.have.length(1);
    expect(clock.intervals).to.equal(0);
    await call.controller.dispose();
  });

  it('stops ticking when the user leaves, and when the element goes', async () => {
    const clock = new HandClock(STARTED + 5000);
    const { call, room, elapsed } = await roomWith(clock, { startedAt: new Date(STARTED).toISOString() });
    await until('the running time', () => elapsed() !== undefined);
    expect(clock.intervals).to.equal(1);
    await call.controller.leave();
    await until('out of the call', () => call.controller.state.phase === 'left');
    await room.updateComplete;
    expect(clock.intervals).to.equal(0);
    expect(deep(room, ['[part~="elapsed"]'])).to.have.length(0);

    // A second call in the same element, then the element removed mid-call: nothing keeps running.
    const again = await syntheticCall(2, 'host', 'Ada Lovelace', { startedAt: new Date(STARTED).toISOString() });
    room.controller = again.controller;
    await until('the running time again', () => elapsed() !== undefined);
    expect(clock.intervals).to.equal(1);
    room.remove();
    expect(clock.intervals).to.equal(0);
    await again.controller.dispose();
    await call.controller.dispose();
  });
});
