// The single peer connection's offer/answer: the client always offers (its first offer comes in the
// join request), the server answers, one offer at a time in the order they came. Each offer binds
// the publisher's send sections and the subscriber's receive slots before the answer goes out.
import { SessionDescription } from '@livekit/protocol';
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import { applyOpusFormat } from './opus-format.js';
import { completeAnswer, type PeerOptions } from './peer.js';
import type { Publisher } from './publisher.js';
import { readMediaSections, RemoteCandidates } from './sdp-sections.js';
import type { SignalResponseMessage } from './signal-codec.js';
import type { Subscriber } from './subscriber.js';

export interface NegotiationHost {
  readonly identity: string;
  isEnded(): boolean;
  send(message: SignalResponseMessage): void;
  log(line: string): void;
}

export class Negotiation {
  private queue: Promise<void> = Promise.resolve();
  private readonly remoteCandidates = new RemoteCandidates();

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly publisher: Publisher,
    private readonly subscriber: Subscriber,
    private readonly host: NegotiationHost,
    private readonly options: PeerOptions,
  ) {}

  /** Queues the answer to `offer` behind any still being made. */
  answerOffer(offer: SessionDescription): void {
    this.queue = this.queue
      .then(() => this.answer(offer))
      .catch((error: unknown) => {
        this.host.log(`${this.host.identity}: negotiation failed: ${(error as Error).message}`);
      });
  }

  async addCandidate(candidateInit: string): Promise<void> {
    try {
      const candidate = JSON.parse(candidateInit) as { candidate?: string; sdpMid?: string; sdpMLineIndex?: number };
      if (typeof candidate.candidate !== 'string' || !candidate.candidate) return;
      if (this.remoteCandidates.has(candidate.candidate)) return;
      await this.pc.addIceCandidate(candidate);
      this.remoteCandidates.taken(candidate.candidate);
    } catch {
      // A candidate the server cannot use (another address family, say) is not an error for the call.
    }
  }

  private async answer(offer: SessionDescription): Promise<void> {
    if (this.host.isEnded()) return;
    this.subscriber.offerReceived();
    const filtered = this.remoteCandidates.filterOffer(offer.sdp);
    await this.pc.setRemoteDescription({ type: 'offer', sdp: filtered.sdp });
    filtered.taken();
    const transceivers = new Map<string, RTCRtpTransceiver>();
    for (const transceiver of this.pc.getTransceivers()) if (transceiver.mid) transceivers.set(transceiver.mid, transceiver);
    const sections = readMediaSections(offer.sdp);
    this.publisher.applyOffer(sections, transceivers);
    this.subscriber.applyOffer(sections, transceivers);
    const midToTrackId = this.subscriber.prepareAnswer();
    const sdp = applyOpusFormat(await completeAnswer(this.pc, this.options.advertisedAddresses), (mid) => this.publisher.opusFormat(mid));
    this.host.send({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id, midToTrackId }) });
    this.subscriber.answered();
  }
}
