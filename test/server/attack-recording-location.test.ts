// Attack: learn where the server keeps its files from a recording. A participant (an attendee, not
// the host) follows the meeting's event stream and the card stream while the host records on the
// embedded media server, then lists the recordings; the host application receives recording.ready.
// None of what they get may name a server path (RECORDINGS_DIR, an absolute path, a relative one):
// a recording's `location` is the file route, the only way anyone reaches the file.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../server/src/services/webhook-dispatcher.js';
import { api } from '../support/app.js';
import { MeetingBot, signIn } from '../support/bots/meeting-bots.js';
import { eventually } from '../support/bots/wait.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.js';

const MS = 30_000;

after(async () => {
  await dispose();
  await stopOwnCluster();
});

/** Everything a stream sent until `stop()`, as the raw text a client reads. */
async function tap(url: string, token: string): Promise<{ text: () => string; stop: () => Promise<void> }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  assert.equal(res.status, 200, url);
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body ?? []) text += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted by stop()
    }
  })();
  return {
    text: () => text,
    async stop() {
      abort.abort();
      await reading;
    },
  };
}

/** Every string in a JSON value, with where it is. */
function strings(value: unknown, at = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${String(i)}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describeEachDatabase('attack: server paths through recordings', (backend) => {
  let stack: MediaStack;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let dir: string;
  /** The folder as written and as resolved (a temporary folder can sit behind a symbolic link). */
  let dirNames: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-rec-paths-'));
    dirNames = [...new Set([dir, await realpath(dir)])];
    stack = await startMediaStack(backend, { RECORDINGS_DIR: dir }, { recordingsDir: dir });
    receiver = await startWebhookReceiver();
    dispatcher = await startWebhookDispatcher(stack.app.deps, { url: receiver.url, secret: receiver.secret, firstBackoffMs: 50, maxBackoffMs: 200, pollMs: 5000 });
  });
  after(async () => {
    await dispatcher.stop();
    await receiver.close();
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** What a client saw, as text: no server folder, no absolute path other than the API's own routes. */
  const assertNoServerPath = (what: string, seen: unknown) => {
    const text = typeof seen === 'string' ? seen : JSON.stringify(seen);
    for (const name of dirNames) assert.ok(!text.includes(name), `${what} names RECORDINGS_DIR (${name}): ${text}`);
    assert.ok(!text.includes(tmpdir()), `${what} names a server folder: ${text}`);
    if (typeof seen !== 'string') {
      for (const [at, value] of strings(seen)) {
        const path = value.startsWith('/') || /^\.{0,2}\/?[\w.-]+\/[\w./-]*\.(webm|mp4|json|ogg)$/.test(value) || /\.(webm|mp4)$/.test(value);
        if (path) assert.match(value, /^(https?:\/\/[^/]+)?\/api\/v1\/meetings\/[0-9a-f-]{36}\/recordings\/[0-9a-f-]{36}\/file$/, `${what} ${at} is a server path: ${value}`);
      }
    }
  };

  it("shows participants and the host application the file route, never the file's path", async () => {
    const apiUrl = stack.app.url;
    const hostToken = await signIn(apiUrl, 'Host');
    const meeting = (await api<{ id: string }>(apiUrl, 'POST', '/meetings', { token: hostToken, body: { title: 'Paths', policy: {} } })).body;
    const host = await MeetingBot.join(apiUrl, meeting.id, 'Host');
    const attendeeToken = await signIn(apiUrl, 'Attendee');
    const attendee = await MeetingBot.join(apiUrl, meeting.id, 'Attendee');
    try {
      assert.equal(attendee.admission.role, 'attendee');
      const events = await tap(`${apiUrl}/api/v1/meetings/${meeting.id}/events`, attendeeToken);
      const cards = await tap(`${apiUrl}/api/v1/events?meetings=${meeting.id}`, attendeeToken);
      await host.rtc.publishAudio({ speaking: true });

      const started = await api(apiUrl, 'POST', `/meetings/${meeting.id}/recordings/start`, { token: hostToken });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assertNoServerPath('the start answer', started.body);
      const whileRecording = await api(apiUrl, 'GET', `/meetings/${meeting.id}/recordings`, { token: attendeeToken });
      assertNoServerPath('the list while recording', whileRecording.body);
      // Some audio on disk, so the recording has a file.
      await eventually(
        async () => {
          const names = (await readdir(dir)).filter((n) => n.endsWith('.webm'));
          return names.length > 0 && (await stat(join(dir, names[0] ?? ''))).size > 2000;
        },
        'the recording on disk',
        MS,
      );
      const stopped = await api(apiUrl, 'POST', `/meetings/${meeting.id}/recordings/stop`, { token: hostToken });
      assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
      assertNoServerPath('the stop answer', stopped.body);

      const ready = (await receiver.until((all) => all.some((e) => e.type === 'recording.ready' && e.data.recording.meetingId === meeting.id), MS, 'recording.ready')).find(
        (e) => e.type === 'recording.ready' && e.data.recording.meetingId === meeting.id,
      );
      assert.ok(ready?.type === 'recording.ready');
      const route = `/api/v1/meetings/${meeting.id}/recordings/${ready.data.recording.id}/file`;
      assertNoServerPath('recording.ready', ready);
      assert.equal(ready.data.recording.location, route, 'the webhook gives the file route as the location');
      const raw = receiver.deliveries.find((d) => d.event === ready)?.body ?? '';
      assertNoServerPath('the raw recording.ready body', raw);

      for (const [who, token] of [
        ['the attendee', attendeeToken],
        ['the host', hostToken],
      ] as const) {
        const listed = await api<Array<{ id: string; location: string | null }>>(apiUrl, 'GET', `/meetings/${meeting.id}/recordings`, { token });
        assert.equal(listed.status, 200);
        assertNoServerPath(`the list ${who} gets`, listed.body);
        assert.equal(listed.body[0]?.location, route);
        // The location is the way to the file: it serves the recording.
        const file = await fetch(`${apiUrl}${listed.body[0].location}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(file.status, 200);
        assert.deepEqual([...Buffer.from(await file.arrayBuffer()).subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3]);
      }

      await events.stop();
      await cards.stop();
      assert.ok(events.text().length > 0 && cards.text().length > 0, 'the streams sent something');
      assertNoServerPath("the meeting's event stream", events.text());
      assertNoServerPath('the card stream', cards.text());
    } finally {
      await attendee.leave();
      await host.leave();
    }
  });
});
