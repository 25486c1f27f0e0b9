// werift keys simulcast streams by rid alone, for the whole peer connection. livekit-client publishes
// its camera and its screen share with the same rids (q, h, f) on one connection, so the second
// track's layers would take the first one's packets. This routes a packet carrying a rid by its MID
// first (both header extensions come together), then lets werift find it by SSRC as usual.
import { RTP_EXTENSION_URI, rtpHeaderExtensionsParser, type RTCPeerConnection, type RTCRtpReceiver, type RtpPacket } from 'werift';

interface WeriftRouter {
  extIdUriMap: Record<number, string>;
  routeRtp: (packet: RtpPacket) => void;
  registerRtpReceiver: (receiver: RTCRtpReceiver, ssrc: number) => void;
}

interface RidReceiver {
  trackByRID: Record<string, unknown>;
  handleRtpByRid: (packet: RtpPacket, rid: string, extensions: Record<string, unknown>) => void;
}

export function routeSimulcastByMid(pc: RTCPeerConnection): void {
  const router = (pc as unknown as { router: WeriftRouter }).router;
  const routeByRidOnly = router.routeRtp;
  router.routeRtp = (packet) => {
    const extensions = rtpHeaderExtensionsParser(packet.header.extensions, router.extIdUriMap);
    const rid: unknown = extensions[RTP_EXTENSION_URI.sdesRTPStreamID];
    const mid: unknown = extensions[RTP_EXTENSION_URI.sdesMid];
    if (typeof rid === 'string' && typeof mid === 'string') {
      const receiver = pc.getTransceivers().find((t) => t.mid === mid)?.receiver;
      const byRid = receiver as unknown as RidReceiver | undefined;
      if (receiver && byRid?.trackByRID[rid]) {
        // Later packets of this layer carry no rid: werift finds them by SSRC from now on.
        router.registerRtpReceiver(receiver, packet.header.ssrc);
        byRid.handleRtpByRid(packet, rid, extensions);
        return;
      }
    }
    routeByRidOnly(packet);
  };
}
