// Attack: download a meeting's recording without being allowed to see it, or make the file route
// serve something that is not a recording. The file goes to the people who may list the meeting's
// recordings (its hosts and the people in it); the location comes from the database and is served
// only from inside RECORDINGS_DIR, whatever a row says (a planted absolute path, a relative path
// climbing out, a symbolic link placed in the folder).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../server/src/db/database.js';
import { insertRecording, markRecordingReady } from '../../server/src/store/recordings.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { startMediaStack, type MediaStack } from './helpers/media-stack.js';

const SECRET = 'TOP-SECRET-NOT-A-RECORDING';
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('a recording, as far as this test cares')]);

after(async () => {
  await stopOwnCluster();
});

describeEachDatabase('attack: recording files', (backend) => {
  let stack: MediaStack;
  let db: Database;
  let dir: string;
  let outside: string;

  const download = (meetingId: string, recordingId: string, token?: string) =>
    fetch(`${stack.app.url}/api/v1/meetings/${meetingId}/recordings/${recordingId}/file`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const codeOf = async (res: Response): Promise<string> => {
    const text = await res.text();
    assert.ok(!text.includes(SECRET) && !text.includes('a recording, as far'), 'no file content in a refusal');
    return (JSON.parse(text) as { error: { code: string } }).error.code;
  };
  /** A ready recording of `meetingId` whose row says `location`. */
  const recording = async (meetingId: string, location: string): Promise<string> => {
    const id = await insertRecording(db, { meetingId, startedBy: 'host', location: 'pending' });
    assert.ok(await markRecordingReady(db, meetingId, id, location));
    return id;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-rec-attack-'));
    outside = await mkdtemp(join(tmpdir(), 'mw-rec-outside-'));
    await writeFile(join(dir, 'good.webm'), WEBM);
    await writeFile(join(outside, 'secret.webm'), SECRET);
    await symlink(join(outside, 'secret.webm'), join(dir, 'link.webm'));
    stack = await startMediaStack(backend, { RECORDINGS_DIR: dir }, { recordingsDir: dir });
    db = stack.app.deps.db;
  });
  after(async () => {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves the file to the host and to a participant: the bytes, as an attachment', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true });
    const guest = await stack.join(meeting.id, undefined, { displayName: 'Guest' });
    const id = await recording(meeting.id, join(dir, 'good.webm'));
    for (const token of [host, guest.body.guestToken ?? '']) {
      const res = await download(meeting.id, id, token);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'video/webm');
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="?good\.webm"?$/);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), WEBM);
    }
  });

  it('refuses an outsider and an anonymous caller', async () => {
    const { meeting } = await stack.meeting({ allowAnonymous: true });
    const id = await recording(meeting.id, join(dir, 'good.webm'));
    const outsider = await stack.user('Outsider');
    const refusedOutsider = await download(meeting.id, id, outsider);
    assert.equal(refusedOutsider.status, 403);
    assert.equal(await codeOf(refusedOutsider), 'INSUFFICIENT_PERMISSION');
    const anonymous = await download(meeting.id, id);
    assert.equal(anonymous.status, 401);
    assert.equal(await codeOf(anonymous), 'AUTH_REQUIRED');
  });

  it("refuses a guest token of another meeting", async () => {
    const { meeting } = await stack.meeting({ allowAnonymous: true });
    const other = await stack.meeting({ allowAnonymous: true });
    const id = await recording(meeting.id, join(dir, 'good.webm'));
    const otherGuest = await stack.join(other.meeting.id, undefined, { displayName: 'Elsewhere' });
    const refusedGuest = await download(meeting.id, id, otherGuest.body.guestToken);
    assert.equal(refusedGuest.status, 403);
    assert.equal(await codeOf(refusedGuest), 'INSUFFICIENT_PERMISSION');
  });

  it('refuses a participant once removed', async () => {
    const { meeting, host } = await stack.meeting();
    const id = await recording(meeting.id, join(dir, 'good.webm'));
    const member = await stack.user('Member');
    const joined = await stack.join(meeting.id, member);
    assert.equal((await download(meeting.id, id, member)).status, 200, 'while in the meeting they may');
    const removed = await fetch(`${stack.app.url}/api/v1/meetings/${meeting.id}/participants/${joined.body.identity}/remove`, { method: 'POST', headers: { authorization: `Bearer ${host}` } });
    assert.equal(removed.status, 200);
    const refusedRemoved = await download(meeting.id, id, member);
    assert.equal(refusedRemoved.status, 403);
    assert.match(await codeOf(refusedRemoved), /^(ADMISSION_DENIED|INSUFFICIENT_PERMISSION)$/);
  });

  it("does not serve another meeting's recording through a meeting the caller may see", async () => {
    const mine = await stack.meeting();
    const theirs = await stack.meeting();
    const theirRecording = await recording(theirs.meeting.id, join(dir, 'good.webm'));
    const res = await download(mine.meeting.id, theirRecording, mine.host);
    assert.equal(res.status, 404);
    assert.equal(await codeOf(res), 'RECORDING_NOT_FOUND');
    const unknown = await download(mine.meeting.id, randomUUID(), mine.host);
    assert.equal(await codeOf(unknown), 'RECORDING_NOT_FOUND');
    const malformed = await download(mine.meeting.id, '..%2F..%2Fetc%2Fpasswd', mine.host);
    assert.equal(malformed.status, 400);
    assert.equal(await codeOf(malformed), 'VALIDATION_FAILED');
  });

  const planted: Array<[string, () => string]> = [
    ['an absolute path outside', () => join(outside, 'secret.webm')],
    ['a path climbing out with ..', () => `${dir}/../${outside.split('/').pop() ?? ''}/secret.webm`],
    ['a relative path climbing out', () => `../${outside.split('/').pop() ?? ''}/secret.webm`],
    ['a symbolic link placed in the folder', () => join(dir, 'link.webm')],
    ['a system file', () => '/etc/hostname'],
    ['the folder itself', () => dir],
  ];
  for (const [what, location] of planted) {
    it(`serves nothing from outside RECORDINGS_DIR: ${what}`, async () => {
      const { meeting, host } = await stack.meeting();
      const id = await recording(meeting.id, location());
      const res = await download(meeting.id, id, host);
      assert.equal(res.status, 404);
      assert.equal(await codeOf(res), 'RECORDING_NOT_FOUND');
    });
  }

  it('answers RECORDING_NOT_READY while the file is not complete', async () => {
    const { meeting, host } = await stack.meeting();
    const id = await insertRecording(db, { meetingId: meeting.id, startedBy: 'host', location: join(dir, 'good.webm') });
    const res = await download(meeting.id, id, host);
    assert.equal(res.status, 409);
    assert.equal(await codeOf(res), 'RECORDING_NOT_READY');
  });
});
