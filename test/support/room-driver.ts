// Drives <meeting-room> the way a user does: through its shadow DOM, never through private state.
import type { MeetingLobby } from '../../src/components/meeting-lobby/meeting-lobby.component.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import type { Stack } from './meeting-stack.js';

/** Finds elements through nested shadow roots, e.g. ['participant-grid', 'participant-tile']. */
export function deep<T extends Element>(root: Element, path: string[]): T[] {
  let level: Element[] = [root];
  for (const selector of path) {
    level = level.flatMap((el) => [...(el.shadowRoot ?? el).querySelectorAll(selector)]);
  }
  return level as T[];
}

/** Waits, frame by frame, for what the user would see; fails with what it waited for. */
export async function until(what: string, check: () => boolean, ms = 15000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

export async function joinFromLobby(room: MeetingRoom, name: string): Promise<void> {
  const lobby = deep<MeetingLobby>(room, ['meeting-lobby'])[0]!;
  const input = deep<HTMLInputElement>(lobby, ['[part~="name-input"]'])[0]!;
  input.value = name;
  input.dispatchEvent(new Event('input'));
  await lobby.updateComplete;
  deep<HTMLButtonElement>(lobby, ['[part~="join-button"]'])[0]!.click();
}

/** A bearer token from the server's dev sign-in. */
export async function devToken(stack: Stack, name: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/api/v1/dev/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.com` }),
  });
  return ((await res.json()) as { token: string }).token;
}
