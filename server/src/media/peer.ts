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

/** werift's ICE agent, as far as this module reads it: its generation counts the restarts. */
interface IceAgent {
  generation: number;
}

const startedGeneration = new WeakMap<object, number>();

/**
 * After an ICE restart (a new ufrag in the client's offer) werift holds the new credentials, but
 * with DTLS still up its connect() returns early, so the new checks never run: the client's
 * binding requests wait in werift's early-check queue for a connect that never comes, nothing is
 * nominated, and media to the client stops while media from it flows (seen after livekit-client's
 * resume on a loaded machine). Starting the ICE transport of each restarted generation runs the
 * checks and the consent as on the first connection; if they fail, the connection fails and the
 * client rejoins.
 */
function runRestartedIceChecks(pc: RTCPeerConnection): void {
  for (const dtls of pc.dtlsTransports) {
    const ice = dtls.iceTransport;
    const agent = ice.connection as unknown as IceAgent;
    const seen = startedGeneration.get(ice) ?? 0;
    if (agent.generation > seen && dtls.state === 'connected') {
      startedGeneration.set(ice, agent.generation);
      void ice.start().catch(() => undefined);
    }
  }
}

/** Answers `offerSdp` once ICE gathering is complete, so the answer carries every candidate. */
export async function completeAnswer(
  pc: RTCPeerConnection,
  advertised: PeerOptions['advertisedAddresses'],
): Promise<string> {
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  runRestartedIceChecks(pc);
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
