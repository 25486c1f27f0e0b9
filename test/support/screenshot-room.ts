// For screenshot suites that take every variant (viewport × theme) from one <meeting-room> in one
// call: joining the people again for each variant cost most of those files' time. The room is not a
// fixture() (@open-wc/testing removes those after each test); each variant sets its viewport, box,
// theme and panel itself, so no picture depends on the variant before it.
import { html, LitElement, render } from 'lit';
import '../../src/components/meeting-room/meeting-room.js';
import { setViewport } from '@web/test-runner-commands';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { deep, until } from './room-driver.js';

export const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, box: { width: 1280, height: 720 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, box: { width: 390, height: 844 } },
] as const;
export const THEMES = ['light', 'dark'] as const;
export type Size = (typeof SIZES)[number];
export type Theme = (typeof THEMES)[number];

export function boxStyle(size: Size): string {
  return `width:${String(size.box.width)}px;height:${String(size.box.height)}px`;
}

/** Every element's update done and no transition or finite animation still running (a theme change eases colours). */
export async function settled(room: Element): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const elements: Element[] = [room, ...deep(room, ['*']), ...deep(room, ['*', '*'])];
    await Promise.all(elements.map((el) => (el instanceof LitElement ? el.updateComplete : Promise.resolve(true))));
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}

/**
 * The variant's viewport, box size and theme on the one room, and the side panel `panel` (its control
 * bar part and its element's tag) open in it: from the bar, or from its More menu when the bar is narrow.
 */
export async function showVariant(box: HTMLElement, room: MeetingRoom, size: Size, theme: Theme, panel: { part: string; tag: string }): Promise<void> {
  await setViewport(size.viewport);
  box.setAttribute('style', boxStyle(size));
  room.setAttribute('theme', theme);
  await room.updateComplete;
  if (deep(room, [panel.tag]).length === 1) return;
  await until('the control bar', () => deep(room, ['meeting-controls', '[part~="leave"]']).length === 1);
  const button = deep<HTMLButtonElement>(room, ['meeting-controls', `button[part~="${panel.part}"]:not([part~="menu-item"])`])[0];
  if (button) button.click();
  else {
    deep<HTMLButtonElement>(room, ['meeting-controls', '[part~="more"]'])[0]!.click();
    await until('the More menu', () => deep(room, ['meeting-controls', `[part~="${panel.part}"][part~="menu-item"]`]).length === 1);
    deep<HTMLButtonElement>(room, ['meeting-controls', `[part~="${panel.part}"][part~="menu-item"]`])[0]!.click();
  }
  await until(`the ${panel.tag} panel`, () => deep(room, [panel.tag]).length === 1);
}

/** Hedy Lamarr's <meeting-room> in the call, in a box of the first size, light: appended to the page, removed by the caller. */
export async function mountRoom(apiUrl: string, meetingId: string, token: string): Promise<{ box: HTMLElement; room: MeetingRoom }> {
  await setViewport(SIZES[0].viewport);
  document.body.style.margin = '0';
  const box = document.createElement('div');
  box.setAttribute('style', boxStyle(SIZES[0]));
  document.body.append(box);
  render(html`<meeting-room theme="light" .auth=${() => Promise.resolve(token)} server=${apiUrl} meeting-id=${meetingId} display-name="Hedy Lamarr" skip-lobby audio="off" video="off" style="height:100%"></meeting-room>`, box);
  const room = box.querySelector<MeetingRoom>('meeting-room')!;
  try {
    // Generous: a loaded machine can take a while to join, and every variant waits on this one join.
    await until('the host in the call', () => deep(room, ['participant-grid', 'participant-tile']).length === 1, 30000);
  } catch (error) {
    box.remove();
    throw error;
  }
  return { box, room };
}
