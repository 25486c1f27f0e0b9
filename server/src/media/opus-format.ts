// What the answer tells a publisher's Opus encoder, as LiveKit's answer does. The fmtp of an answer
// says what its sender (the server) wants to receive, and browsers and LiveKit's SDKs turn on DTX
// only when it carries `usedtx=1`: without it a silent, unmuted microphone still sends 50 packets a
// second, which in a room of a hundred is most of the server's work. werift copies the offer's fmtp
// into its answer, and clients offer without `usedtx` (they leave it to the server), so the answer's
// audio sections bound to a published microphone get `usedtx=1` unless the track asked for no DTX,
// and `stereo=1` when it asked for stereo.
import { AudioTrackFeature } from '@livekit/protocol';

export interface OpusFormat {
  dtx: boolean;
  stereo: boolean;
}

/** The encoder settings a published audio track asked for with its features. */
export function opusFormatOf(features: readonly AudioTrackFeature[]): OpusFormat {
  return { dtx: !features.includes(AudioTrackFeature.TF_NO_DTX), stereo: features.includes(AudioTrackFeature.TF_STEREO) };
}

/** The parameters this module decides; anything else the offer had is kept as it was. */
const DECIDED = new Set(['usedtx', 'stereo', 'maxaveragebitrate']);

/**
 * `sdp` with the Opus fmtp of each audio section that `formatFor(mid)` knows rewritten for that
 * track; sections it does not know (what the server sends, a track not bound yet) stay as they are.
 */
export function applyOpusFormat(sdp: string, formatFor: (mid: string) => OpusFormat | undefined): string {
  const lines = sdp.split('\r\n');
  // Section boundaries first: the mid comes after the rtpmap and fmtp lines in werift's answer.
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('m=')) starts.push(i);
  });
  const out: string[] = lines.slice(0, starts[0] ?? lines.length);
  starts.forEach((start, k) => {
    const section = lines.slice(start, starts[k + 1] ?? lines.length);
    const mid = section.find((l) => l.startsWith('a=mid:'))?.slice(6);
    const format = section[0]?.startsWith('m=audio') && mid !== undefined ? formatFor(mid) : undefined;
    out.push(...(format ? rewriteSection(section, format) : section));
  });
  return out.join('\r\n');
}

function rewriteSection(section: string[], format: OpusFormat): string[] {
  const rtpmap = section.findIndex((l) => /^a=rtpmap:\d+ opus\/48000/i.test(l));
  const pt = rtpmap >= 0 ? /^a=rtpmap:(\d+)/.exec(section[rtpmap] ?? '')?.[1] : undefined;
  if (pt === undefined) return section;
  const wanted: string[] = [];
  if (format.dtx) wanted.push('usedtx=1');
  if (format.stereo) wanted.push('stereo=1', 'maxaveragebitrate=510000');
  const prefix = `a=fmtp:${pt} `;
  const at = section.findIndex((l) => l.startsWith(prefix));
  const kept = at >= 0 ? (section[at] ?? '').slice(prefix.length).split(';').filter((p) => p !== '' && !DECIDED.has(p.split('=')[0]?.trim() ?? '')) : ['minptime=10', 'useinbandfec=1'];
  const parameters = [...kept, ...wanted];
  const copy = [...section];
  if (at >= 0 && parameters.length === 0) copy.splice(at, 1);
  else if (at >= 0) copy[at] = `${prefix}${parameters.join(';')}`;
  else copy.splice(rtpmap + 1, 0, `${prefix}${parameters.join(';')}`);
  return copy;
}
