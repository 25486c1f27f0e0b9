// The embedded media server's Egress, with LiveKit's Rust SDK bots as the people recorded: a
// recording follows the room (a participant who publishes after the start is added in a part of
// their own, one who leaves has their part ended), the token server hears egress_ended and marks
// the recording ready at the longest part, the manifest lists every part with its offset; the
// Egress API takes only tokens with the roomRecord grant.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { AccessToken, EgressClient, EncodedFileOutput } from 'livekit-server-sdk';
import { startBotStack, type BotStack } from '../support/bots/bot-stack.js';
import { callApi, MeetingBot, signIn, startMeeting } from '../support/bots/meeting-bots.js';
import { eventually } from '../support/bots/wait.js';
import { probeWebm } from '../support/webm-probe.js';

const MS = 30_000;

interface Manifest {
  parts: Array<{ file: string; identity: string; sources: string[]; startOffsetMs: number; durationMs: number; size: number }>;
}

describe('media recording: Egress on the embedded media server', { timeout: 180_000 }, () => {
  let stack: BotStack | undefined;
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-media-rec-'));
    stack = await startBotStack({ media: { recordingsDir: dir }, env: { RECORDINGS_DIR: dir } });
  });

  after(async () => {
    await dispose();
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const webms = async (): Promise<string[]> => (await readdir(dir)).filter((n) => n.endsWith('.webm')).sort();

  it('records who publishes after the start, ends the part of who leaves, and reports the files', async () => {
    assert.ok(stack);
    const { apiUrl } = stack;
    const hostToken = await signIn(apiUrl, 'Host');
    const meeting = await startMeeting(apiUrl, hostToken);
    const host = await MeetingBot.join(apiUrl, meeting.id, 'Host');
    await host.rtc.publishAudio({ speaking: true });
    await host.rtc.publishVideo();

    const started = await callApi<{ id: string; status: string }>(apiUrl, 'POST', `/meetings/${meeting.id}/recordings/start`, hostToken);
    assert.equal(started.status, 'active');
    await eventually(async () => (await webms()).length === 1, "the host's part", MS);

    const guest = await MeetingBot.join(apiUrl, meeting.id, 'Late Guest');
    await guest.rtc.publishAudio({ speaking: true });
    await eventually(async () => (await webms()).length === 2, "the late guest's part", MS, async () => (await webms()).join(', '));
    const guestFile = (await webms()).find((n) => /-2\.webm$/.test(n)) ?? '';
    await eventually(async () => (await stat(join(dir, guestFile))).size > 2000, "some of the late guest's audio on disk", MS);
    await guest.leave();
    // The guest's part is ended by the leave: werift writes its duration into the header then.
    await eventually(async () => probeWebm(await readFile(join(dir, guestFile))).durationMs !== undefined, "the guest's part to be closed", MS);

    await callApi(apiUrl, 'POST', `/meetings/${meeting.id}/recordings/stop`, hostToken);
    const recordings = await (async () => {
      let list: Array<{ id: string; status: string; location: string | null }> = [];
      await eventually(
        async () => {
          list = await callApi(apiUrl, 'GET', `/meetings/${meeting.id}/recordings`, hostToken);
          return list[0]?.location?.endsWith(`/recordings/${list[0].id}/file`) === true;
        },
        'the recording to be ready at its file',
        MS,
        () => JSON.stringify(list),
      );
      return list;
    })();
    const [recording] = recordings;
    assert.ok(recording);
    assert.equal(recording.status, 'stopped');

    const manifestName = (await readdir(dir)).find((n) => n.endsWith('.json')) ?? '';
    const manifest = JSON.parse(await readFile(join(dir, manifestName), 'utf8')) as Manifest;
    assert.equal(manifest.parts.length, 2, JSON.stringify(manifest));
    const [longest, late] = manifest.parts;
    assert.ok(longest && late);
    assert.ok(longest.identity !== late.identity);
    assert.deepEqual(late.sources, ['MICROPHONE']);
    assert.ok(late.startOffsetMs > 0 && late.durationMs < longest.durationMs, JSON.stringify(manifest.parts));
    const hostPart = probeWebm(await readFile(join(dir, longest.file)));
    assert.deepEqual(hostPart.tracks.map((t) => t.kind).sort(), ['audio', 'video']);

    // The recording's location is its file route (no server path), and it serves the longest part.
    assert.equal(recording.location, `/api/v1/meetings/${meeting.id}/recordings/${recording.id}/file`);
    const file = await fetch(`${apiUrl}${recording.location}`, { headers: { authorization: `Bearer ${hostToken}` } });
    assert.equal(file.status, 200);
    assert.equal(Number(file.headers.get('content-length')), longest.size);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), await readFile(join(dir, longest.file)), 'the recording is the longest part');
    // A participant's own LiveKit token (from the token server's join) cannot drive Egress.
    const http = stack.target.url.replace(/^ws/, 'http');
    const forged = await fetch(`${http}/twirp/livekit.Egress/StartRoomCompositeEgress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.admission.token}` },
      body: JSON.stringify({ roomName: meeting.roomName, fileOutputs: [{ filepath: 'mine.mp4' }] }),
    });
    assert.equal(forged.status, 403);
    await host.leave();
  });

  it('takes only tokens with roomRecord, and says what does not exist', async () => {
    assert.ok(stack);
    const { url, apiKey, apiSecret } = stack.target;
    const http = url.replace(/^ws/, 'http');
    const noRecord = new AccessToken(apiKey, apiSecret);
    noRecord.addGrant({ roomAdmin: true, roomList: true, roomCreate: true });
    const refused = await fetch(`${http}/twirp/livekit.Egress/ListEgress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await noRecord.toJwt()}` },
      body: '{}',
    });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'permission_denied');
    const egress = new EgressClient(http, apiKey, apiSecret);
    await assert.rejects(egress.startRoomCompositeEgress('no-such-room', { file: new EncodedFileOutput({ filepath: 'x.mp4' }) }), (e: { status?: number }) => e.status === 404);
    await assert.rejects(egress.stopEgress('EG_nothing'), (e: { status?: number }) => e.status === 404);
    assert.ok(Array.isArray(await egress.listEgress({ active: true })));
  });
});
