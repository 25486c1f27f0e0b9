// Every signal request a client can send, and what this server does with it: one entry per message
// case of `SignalRequest`, checked at compile time (`satisfies`), so a case added by a protocol
// upgrade is a type error here until someone decides what it does. What the server does not offer is
// refused out loud: a `requestResponse` where the protocol has one for it, a logged and counted
// refusal otherwise. Nothing is dropped in silence.
import {
  Pong,
  RequestResponse,
  RequestResponse_Reason,
  type SignalRequest,
  type SubscriptionPermission,
  type SyncState,
  type UpdateParticipantMetadata,
  type UpdateSubscription,
  type UpdateLocalAudioTrack,
  type UpdateLocalVideoTrack,
} from '@livekit/protocol';
import type { Negotiation } from './negotiation.js';
import type { Publisher } from './publisher.js';
import type { SignalResponseMessage } from './signal-codec.js';
import type { Subscriber } from './subscriber.js';

export type SignalCase = NonNullable<SignalRequest['message']['case']>;
export type SignalValue<K extends SignalCase> = Extract<SignalRequest['message'], { case: K }>['value'];

/** The part of a session the handlers act on: its concerns' modules, and what is the session's own. */
export interface SignalSession {
  readonly identity: string;
  readonly negotiation: Pick<Negotiation, 'answerOffer' | 'addCandidate'>;
  readonly publisher: Pick<Publisher, 'addTrack' | 'setMuted' | 'updateVideo' | 'updateAudio'>;
  readonly subscriber: Pick<Subscriber, 'applyTrackSettings'>;
  updateSubscription(update: UpdateSubscription): void;
  updateMetadata(update: UpdateParticipantMetadata): void;
  syncState(state: SyncState): void;
  setSubscriptionPermission(permission: SubscriptionPermission): void;
  pinged(): void;
  send(message: SignalResponseMessage): void;
  leave(): void;
  /** Logs and counts a request this server will not act on. */
  refuse(what: SignalCase | 'undecodable' | 'empty' | 'rate', why: string): void;
}

export type SignalHandler<K extends SignalCase> = (session: SignalSession, request: SignalValue<K>) => void | Promise<void>;
export type SignalHandlers = { [K in SignalCase]: SignalHandler<K> };

function notFound(
  request: { case: 'mute'; value: SignalValue<'mute'> } | { case: 'updateAudioTrack'; value: UpdateLocalAudioTrack } | { case: 'updateVideoTrack'; value: UpdateLocalVideoTrack },
  message: string,
): { case: 'requestResponse'; value: RequestResponse } {
  return { case: 'requestResponse', value: new RequestResponse({ reason: RequestResponse_Reason.NOT_FOUND, message, request }) };
}

function unsupported(requestId: number, message: string, request?: RequestResponse['request']): { case: 'requestResponse'; value: RequestResponse } {
  return {
    case: 'requestResponse',
    value: new RequestResponse({ requestId, reason: RequestResponse_Reason.UNSUPPORTED_TYPE, message, ...(request ? { request } : {}) }),
  };
}

export const signalHandlers = {
  offer: (session, offer) => {
    session.negotiation.answerOffer(offer);
  },
  // The client offers and the server answers on the single connection; it never offers itself.
  answer: (session) => {
    session.refuse('answer', 'an answer with no offer from this server');
  },
  trickle: (session, trickle) => session.negotiation.addCandidate(trickle.candidateInit),
  addTrack: (session, request) => {
    session.publisher.addTrack(request);
  },
  mute: (session, request) => {
    if (!session.publisher.setMuted(request.sid, request.muted)) {
      session.send(notFound({ case: 'mute', value: request }, `track "${request.sid}" is not published by this participant`));
    }
  },
  subscription: (session, update) => {
    session.updateSubscription(update);
  },
  trackSetting: (session, settings) => {
    session.subscriber.applyTrackSettings(settings);
  },
  leave: (session) => {
    session.leave();
  },
  // Deprecated by the protocol in favour of the layers announced with addTrack.
  updateLayers: (session) => {
    session.refuse('updateLayers', 'deprecated; layers come with addTrack');
  },
  subscriptionPermission: (session, permission) => {
    session.setSubscriptionPermission(permission);
  },
  // Sent after a resume: what the client believes it publishes and subscribes to.
  syncState: (session, state) => {
    session.syncState(state);
  },
  simulate: (session) => {
    session.refuse('simulate', 'scenario simulation is not offered');
  },
  ping: (session) => {
    session.pinged();
    session.send({ case: 'pong', value: BigInt(Date.now()) });
  },
  updateMetadata: (session, update) => {
    session.updateMetadata(update);
  },
  pingReq: (session, ping) => {
    session.pinged();
    session.send({ case: 'pongResp', value: new Pong({ lastPingTimestamp: ping.timestamp, timestamp: BigInt(Date.now()) }) });
  },
  updateAudioTrack: (session, update) => {
    if (!session.publisher.updateAudio(update)) {
      session.send(notFound({ case: 'updateAudioTrack', value: update }, `audio track "${update.trackSid}" is not published by this participant`));
    }
  },
  updateVideoTrack: (session, update) => {
    if (!session.publisher.updateVideo(update)) {
      session.send(notFound({ case: 'updateVideoTrack', value: update }, `video track "${update.trackSid}" is not published by this participant`));
    }
  },
  publishDataTrackRequest: (session, request) => {
    session.send(unsupported(0, 'data tracks are not offered by this server', { case: 'publishDataTrack', value: request }));
  },
  unpublishDataTrackRequest: (session, request) => {
    session.send(unsupported(0, 'data tracks are not offered by this server', { case: 'unpublishDataTrack', value: request }));
  },
  updateDataSubscription: (session) => {
    session.refuse('updateDataSubscription', 'data tracks are not offered');
  },
  storeDataBlobRequest: (session, request) => {
    session.send(unsupported(request.requestId, 'data blobs are not offered by this server'));
  },
  getDataBlobRequest: (session, request) => {
    session.send(unsupported(request.requestId, 'data blobs are not offered by this server'));
  },
} satisfies SignalHandlers;

/** Runs the handler for one decoded request. */
export function dispatchSignal(session: SignalSession, request: SignalRequest): void | Promise<void> {
  const message = request.message;
  if (message.case === undefined) {
    session.refuse('empty', 'a signal request with no message this server knows');
    return;
  }
  return run(session, message);
}

function run<K extends SignalCase>(session: SignalSession, message: { case: K; value: SignalValue<K> }): void | Promise<void> {
  const handlers: SignalHandlers = signalHandlers;
  return handlers[message.case](session, message.value);
}
