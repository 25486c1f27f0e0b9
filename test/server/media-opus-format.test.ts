// The Opus parameters of the server's answer, per published microphone (server/src/media/opus-format.ts):
// what LiveKit's answer says, so browsers and SDKs turn DTX and stereo on as they would there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AudioTrackFeature } from '@livekit/protocol';
import { applyOpusFormat, opusFormatOf } from '../../server/src/media/opus-format.js';

const answer = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1',
  'a=mid:0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 OPUS/48000/2',
  'a=mid:1',
  'm=video 9 UDP/TLS/RTP/SAVPF 97',
  'a=rtpmap:97 VP8/90000',
  'a=mid:2',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=mid:3',
  '',
].join('\r\n');

const fmtp = (sdp: string, mid: string): string | undefined => {
  const sections = sdp.split('\r\nm=');
  const section = sections.find((s) => `${s}\r\n`.includes(`a=mid:${mid}\r\n`));
  return section?.split('\r\n').find((l) => l.startsWith('a=fmtp:'));
};

describe('Opus parameters in the answer', () => {
  it('asks for DTX, stereo or neither as each bound microphone was published, and leaves other sections alone', () => {
    const formats: Record<string, ReturnType<typeof opusFormatOf>> = {
      // Published with no DTX: the usedtx the offer carried goes.
      '0': opusFormatOf([AudioTrackFeature.TF_NO_DTX]),
      // No fmtp line at all: one is written after the rtpmap, with LiveKit's defaults.
      '1': opusFormatOf([AudioTrackFeature.TF_STEREO]),
      '2': opusFormatOf([]),
    };
    const out = applyOpusFormat(answer, (mid) => formats[mid]);
    assert.equal(fmtp(out, '0'), 'a=fmtp:111 minptime=10;useinbandfec=1');
    assert.equal(fmtp(out, '1'), 'a=fmtp:96 minptime=10;useinbandfec=1;usedtx=1;stereo=1;maxaveragebitrate=510000');
    const lines = out.split('\r\n');
    assert.equal(lines[lines.indexOf('a=rtpmap:96 OPUS/48000/2') + 1], 'a=fmtp:96 minptime=10;useinbandfec=1;usedtx=1;stereo=1;maxaveragebitrate=510000');
    // A video section is never rewritten, even when asked; an audio section nobody publishes on (the server sends there) neither.
    assert.equal(fmtp(out, '2'), undefined);
    assert.equal(fmtp(out, '3'), 'a=fmtp:111 minptime=10;useinbandfec=1');
    assert.equal(out.split('\r\n').length, answer.split('\r\n').length + 1);
  });

  it('the default microphone gets DTX once, however often the answer is made', () => {
    const once = applyOpusFormat(answer, (mid) => (mid === '3' ? opusFormatOf([]) : undefined));
    assert.equal(fmtp(once, '3'), 'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1');
    assert.equal(applyOpusFormat(once, (mid) => (mid === '3' ? opusFormatOf([]) : undefined)), once);
  });
});
