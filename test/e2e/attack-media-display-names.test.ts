// Attack (issue 12, items 5 and 11): a participant relabels itself for the others: a display name
// with a right-to-left override and zero-width characters, thousands of characters long, set in
// the token, by the client, or through the server API; and attributes (role=host) slipped into the
// join request by a client whose token does not let it set its own metadata.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignalRequest, UpdateParticipantMetadata, type ParticipantInfo } from '@livekit/protocol';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, startMediaProcess, type MediaProcess } from './media-page/harness.js';
import { joinRequestParam, plainJoinRequest, rawJoin, type RawClient } from './media-page/raw-client.js';

async function token(room: string, identity: string, name: string, canUpdateOwnMetadata = false): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, name, ttl: 600 });
  at.addGrant({ roomJoin: true, room, canUpdateOwnMetadata });
  return at.toJwt();
}

/** The latest info `observer` has been sent about `identity`. */
function latest(observer: RawClient, identity: string): ParticipantInfo | undefined {
  const infos = observer.received.flatMap((r) => (r.message.case === 'update' ? r.message.value.participants : []));
  return infos.filter((p) => p.identity === identity).at(-1);
}

const DISGUISE = '\u202Etsoh\u200B\u200D\u2066 Admin\uFEFF\u0007';
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\p{Cc}]/u;

describe('attack: participants relabel themselves', { timeout: 120_000 }, () => {
  let media: MediaProcess | undefined;

  before(async () => {
    media = await startMediaProcess();
  });

  after(async () => {
    await media?.stop();
  });

  it('a display name from the token arrives NFC, without bidi or zero-width characters, at most 256 characters', async () => {
    assert.ok(media);
    const observer = await rawJoin(media.url, await token('names', 'observer', 'Observer'));
    const decomposed = 'Jose\u0301 ';
    await rawJoin(media.url, await token('names', 'masked', decomposed + DISGUISE + 'x'.repeat(2000)));
    await observer.until(() => latest(observer, 'masked') !== undefined, 'the masked participant');
    const name = latest(observer, 'masked')?.name ?? '';
    assert.equal(INVISIBLE.test(name), false, JSON.stringify(name.slice(0, 40)));
    assert.ok(name.startsWith('José tsoh Admin'), JSON.stringify(name.slice(0, 40)));
    assert.ok(Array.from(name).length <= 256, `${String(Array.from(name).length)} characters`);
    observer.close();
  });

  it('a name set by the client or through the server API is cleaned the same way', async () => {
    assert.ok(media);
    const observer = await rawJoin(media.url, await token('rename', 'observer', 'Observer'));
    const renamer = await rawJoin(media.url, await token('rename', 'renamer', 'Renamer', true));
    renamer.send(new SignalRequest({ message: { case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 1, name: DISGUISE }) } }));
    await observer.until(() => latest(observer, 'renamer')?.name.includes('Admin') === true, 'the rename');
    assert.equal(latest(observer, 'renamer')?.name, 'tsoh Admin');
    const api = new RoomServiceClient(media.url.replace('ws', 'http'), API_KEY, API_SECRET);
    const updated = await api.updateParticipant('rename', 'renamer', { name: `${DISGUISE}!` });
    assert.equal(updated.name, 'tsoh Admin!');
    observer.close();
    renamer.close();
  });

  it('attributes and metadata in the join request count only when the token lets the client set its own', async () => {
    assert.ok(media);
    const observer = await rawJoin(media.url, await token('claims', 'observer', 'Observer'));
    const forged = joinRequestParam(plainJoinRequest({ metadata: '{"role":"host"}', participantAttributes: { role: 'host', hand: 'raised' } }));
    await rawJoin(media.url, await token('claims', 'pretender', 'Pretender'), forged);
    await rawJoin(media.url, await token('claims', 'allowed', 'Allowed', true), forged);
    await observer.until(() => latest(observer, 'pretender') !== undefined && latest(observer, 'allowed') !== undefined, 'both joins');
    assert.deepEqual(latest(observer, 'pretender')?.attributes, {});
    assert.equal(latest(observer, 'pretender')?.metadata, '');
    assert.deepEqual(latest(observer, 'allowed')?.attributes, { role: 'host', hand: 'raised' });
    observer.close();
  });
});
