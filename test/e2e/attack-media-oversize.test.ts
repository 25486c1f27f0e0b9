// Attack (issue 12, item 8): inputs too big to be honest. A 2 MiB signal message; a join request
// that inflates from a few kilobytes of gzip to megabytes; metadata and attributes far past
// LiveKit's 64 KB limits, which the server would otherwise relay to everyone in every update.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestResponse_Reason, SignalRequest, UpdateParticipantMetadata } from '@livekit/protocol';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, startMediaProcess, type MediaProcess } from './media-page/harness.js';
import { joinRequestParam, plainJoinRequest, rawJoin, rtcUrl } from './media-page/raw-client.js';

async function token(room: string, identity: string, canUpdateOwnMetadata = false): Promise<string> {
  const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
  at.addGrant({ roomJoin: true, room, canUpdateOwnMetadata });
  return at.toJwt();
}

function sawMetadataOf(identity: string, received: ReadonlyArray<{ message: { case?: string; value?: unknown } }>, size: number): boolean {
  return received.some(
    (r) =>
      r.message.case === 'update' &&
      (r.message.value as { participants: Array<{ identity: string; metadata: string; attributes: Record<string, string> }> }).participants.some(
        (p) => p.identity === identity && (p.metadata.length >= size || Object.values(p.attributes).some((v) => v.length >= size)),
      ),
  );
}

describe('attack: oversized input to the media server', { timeout: 120_000 }, () => {
  let media: MediaProcess | undefined;

  before(async () => {
    media = await startMediaProcess();
  });

  after(async () => {
    await media?.stop();
  });

  it('closes a socket that sends a 2 MiB message (1009), and keeps the others', async () => {
    assert.ok(media);
    const bystander = await rawJoin(media.url, await token('big', 'bystander'));
    const sender = await rawJoin(media.url, await token('big', 'sender'));
    sender.ws.send(Buffer.alloc(2 * 1024 * 1024, 0x0a));
    const closed = await Promise.race([sender.closed, new Promise<undefined>((resolve) => setTimeout(resolve, 10_000))]);
    assert.ok(closed, 'the socket stays open after a 2 MiB message');
    assert.equal(closed.code, 1009);
    assert.equal(bystander.ws.readyState, bystander.ws.OPEN);
    bystander.close();
  });

  it('refuses a join request that inflates past 1 MiB, at the socket and at validate', async () => {
    assert.ok(media);
    // 8 MB of metadata packs into about 8 KB of gzip: it fits in a URL.
    const bomb = joinRequestParam(plainJoinRequest({ metadata: 'a'.repeat(8 * 1024 * 1024) }));
    assert.ok(bomb.length < 15_000, `the bomb is ${String(bomb.length)} characters`);
    const url = rtcUrl(media.url, await token('bomb', 'bomber'), bomb);
    const validate = await fetch(url.replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?'));
    assert.equal(validate.status, 400);
    assert.match(await validate.text(), /1048576 bytes/);
    await assert.rejects(rawJoin(media.url, await token('bomb', 'bomber'), bomb), /HTTP 400/);
  });

  it('refuses metadata and attributes past 64 KB from the participant and from the server API', async () => {
    assert.ok(media);
    const observer = await rawJoin(media.url, await token('meta', 'observer'));
    const setter = await rawJoin(media.url, await token('meta', 'setter', true));
    const huge = 'm'.repeat(100_000);
    setter.send(new SignalRequest({ message: { case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 7, metadata: huge }) } }));
    setter.send(new SignalRequest({ message: { case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 8, attributes: { big: huge } }) } }));
    const answers = () => setter.received.flatMap((r) => (r.message.case === 'requestResponse' ? [r.message.value] : []));
    await setter.until(() => answers().length >= 2, 'answers to both updates');
    assert.deepEqual(
      answers().map((a) => [a.requestId, a.reason]),
      [
        [7, RequestResponse_Reason.LIMIT_EXCEEDED],
        [8, RequestResponse_Reason.LIMIT_EXCEEDED],
      ],
    );
    const api = new RoomServiceClient(media.url.replace('ws', 'http'), API_KEY, API_SECRET);
    await assert.rejects(api.updateParticipant('meta', 'setter', { metadata: huge }), (error: Error & { status?: number }) => error.status === 400);
    await assert.rejects(api.updateRoomMetadata('meta', huge), (error: Error & { status?: number }) => error.status === 400);
    // A small change still goes through, and is the first thing the observer hears of the setter's metadata.
    setter.send(new SignalRequest({ message: { case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 9, metadata: 'ok' }) } }));
    await observer.until(
      () => observer.received.some((r) => r.message.case === 'update' && r.message.value.participants.some((p) => p.identity === 'setter' && p.metadata === 'ok')),
      'the small update',
    );
    assert.equal(sawMetadataOf('setter', observer.received, 65_000), false);
    observer.close();
    setter.close();
  });
});
