// One werift peer connection per participant, configured for what livekit-client offers.
import {
  RTCPeerConnection,
  useAudioLevelIndication,
  useFIR,
  useNACK,
  useOPUS,
  usePLI,
  useREMB,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useVP8,
} from 'werift';
import { filterCandidates } from './sdp-sections.js';

export interface PeerOptions {
  /** Addresses ICE may advertise; `['127.0.0.1']` keeps a development server on loopback. */
  advertisedAddresses: readonly string[] | 'all';
}

export function createPeer(options: PeerOptions): RTCPeerConnection {
  const loopbackOnly = options.advertisedAddresses !== 'all' && options.advertisedAddresses.every(isLoopback);
  return new RTCPeerConnection({
    // werift's default points at a public STUN host, unreachable here and pointless on one machine.
    iceServers: [],
    iceUseIpv6: false,
    // werift skips loopback interfaces unless told to use them.
    iceAdditionalHostAddresses: loopbackOnly ? ['127.0.0.1'] : undefined,
    codecs: {
      audio: [useOPUS()],
      video: [useVP8({ rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB()] })],
    },
    headerExtensions: {
      audio: [useSdesMid(), useAudioLevelIndication()],
      video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId()],
    },
  });
}

export function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === 'localhost';
}

/** Answers `offerSdp` once ICE gathering is complete, so the answer carries every candidate. */
export async function completeAnswer(
  pc: RTCPeerConnection,
  advertised: PeerOptions['advertisedAddresses'],
): Promise<string> {
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          unSubscribe();
          resolve();
        }
      });
    });
  }
  const sdp = pc.localDescription?.sdp ?? answer.sdp;
  if (advertised === 'all') return sdp;
  return filterCandidates(sdp, (address) => advertised.includes(address));
}
