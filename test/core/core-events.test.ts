// The core's typed events against the real token server and media server: news fires once, when it
// happens; what a late joiner finds (people, chat history, hands) is state and fires nothing.
import { expect } from '@open-wc/testing';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { MeetingEventMap, MeetingEventName } from '../../src/core/controller/events.js';
import { MeetingError } from '../../src/core/api/meeting-error.js';
import { createMeeting, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('MeetingController events', function () {
  this.timeout(60000);
  let stack: Stack;
  const controllers: MeetingController[] = [];

  before(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((c) => c.dispose()));
  });
  after(async () => {
    await stopStack();
  });

  async function person(meetingId: string, name: string): Promise<MeetingController> {
    const controller = new MeetingController({ api: await signIn(stack, name), meetingId });
    controllers.push(controller);
    return controller;
  }

  /** Every event of `type` the controller emits from now on. */
  function record<K extends MeetingEventName>(controller: MeetingController, type: K): Array<MeetingEventMap[K]> {
    const seen: Array<MeetingEventMap[K]> = [];
    controller.on(type, (detail) => seen.push(detail));
    return seen;
  }

  it('a late joiner gets the chat history as state and no event for it, then one event for the next message', async () => {
    const hostApi = await signIn(stack, 'Hedda');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    const hostMessages = record(host, 'chat-message');
    await host.join({ displayName: 'Hedda' });
    const early = await person(meetingId, 'Ezra');
    await early.join({ displayName: 'Ezra' });

    await early.sendChat('first');
    await host.sendChat('second');
    await stateWhere(host, (s) => s.chat.messages.length === 2, 'both messages at the host');
    expect(hostMessages.map((m) => [m.text, m.isLocal])).to.deep.equal([['first', false], ['second', true]]);

    const late = await person(meetingId, 'Lara');
    const lateMessages = record(late, 'chat-message');
    const lateJoins = record(late, 'participant-joined');
    await late.join({ displayName: 'Lara' });
    const withHistory = await stateWhere(late, (s) => s.chat.messages.length === 2 && s.participants.length === 3, 'the history and both people at the late joiner');
    expect(withHistory.chat.messages.map((m) => m.text)).to.deep.equal(['first', 'second']);
    expect(lateMessages, 'history is not news').to.deep.equal([]);
    expect(lateJoins, 'the people already there are not news').to.deep.equal([]);

    await early.sendChat('third');
    await stateWhere(late, (s) => s.chat.messages.length === 3, 'the third message at the late joiner');
    expect(lateMessages).to.have.length(1);
    expect(lateMessages[0]).to.include({ text: 'third', displayName: 'Ezra', isLocal: false });
    expect(hostMessages.map((m) => m.text)).to.deep.equal(['first', 'second', 'third']);
  });

  it('tells who joins and leaves after the user, once each, and the phase moves as events', async () => {
    const hostApi = await signIn(stack, 'Hugo');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    const joined = record(host, 'joined');
    const phases = record(host, 'phase-change');
    const arrivals = record(host, 'participant-joined');
    const departures = record(host, 'participant-left');
    await host.join({ displayName: 'Hugo' });
    expect(joined).to.have.length(1);
    expect(joined[0]).to.deep.equal({ meetingId, identity: host.state.localIdentity, role: 'host' });
    expect(phases.map((p) => p.phase)).to.deep.equal(['connecting', 'connected']);

    const guest = await person(meetingId, 'Gita');
    await guest.join({ displayName: 'Gita' });
    const guestId = guest.state.localIdentity!;
    await stateWhere(host, (s) => s.participants.length === 2, 'the guest at the host');
    expect(arrivals).to.deep.equal([{ identity: guestId, name: 'Gita' }]);

    await guest.leave();
    await stateWhere(host, (s) => s.participants.length === 1, 'the guest gone');
    expect(departures).to.deep.equal([{ identity: guestId, name: 'Gita' }]);
    expect(arrivals).to.have.length(1);
  });

  it('a hand going up and down is news for everyone; a hand already up on arrival is not', async () => {
    const hostApi = await signIn(stack, 'Hal');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    await host.join({ displayName: 'Hal' });
    const guest = await person(meetingId, 'Gwen');
    await guest.join({ displayName: 'Gwen' });
    await stateWhere(host, (s) => s.participants.length === 2, 'two people');
    const raised = record(host, 'hand-raised');
    const lowered = record(host, 'hand-lowered');
    const ownRaised = record(guest, 'hand-raised');

    await guest.raiseHand();
    await stateWhere(host, (s) => s.hands.length === 1, 'the raised hand at the host');
    expect(raised).to.have.length(1);
    expect(raised[0]).to.include({ identity: guest.state.localIdentity, name: 'Gwen', raised: true, isLocal: false });
    expect(raised[0]!.raisedAt).to.be.a('number');
    await stateWhere(guest, (s) => s.hands.length === 1, 'the guest sees their own hand');
    expect(ownRaised[0]).to.include({ isLocal: true, raised: true });

    const late = await person(meetingId, 'Liv');
    const lateRaised = record(late, 'hand-raised');
    await late.join({ displayName: 'Liv' });
    await stateWhere(late, (s) => s.hands.length === 1, 'the hand already up, as state, at the late joiner');
    expect(lateRaised).to.deep.equal([]);

    await guest.lowerHand();
    await stateWhere(host, (s) => s.hands.length === 0, 'the lowered hand');
    expect(lowered).to.have.length(1);
    expect(lowered[0]).to.include({ identity: guest.state.localIdentity, raised: false, raisedAt: undefined });
  });

  it('failures travel as error events with a code: fatal for a refused join, not for a refused action', async () => {
    const hostApi = await signIn(stack, 'Hana');
    const meetingId = await createMeeting(hostApi);
    const host = new MeetingController({ api: hostApi, meetingId });
    controllers.push(host);
    const errors = record(host, 'error');
    await host.join({ displayName: 'Hana' });
    await host.sendChat('   ').catch(() => undefined);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'VALIDATION_FAILED', fatal: false });
    expect(errors[0]!.params).to.deep.equal({ field: 'text', max: 4000 });

    const missing = new MeetingController({ api: hostApi, meetingId: '00000000-0000-4000-8000-000000000000' });
    controllers.push(missing);
    const missingErrors = record(missing, 'error');
    const refusal = await missing.join({ displayName: 'Hana' }).catch((e: unknown) => e);
    expect((refusal as MeetingError).code).to.equal('MEETING_NOT_FOUND');
    expect(missingErrors.map((e) => [e.code, e.fatal, e.status])).to.deep.equal([['MEETING_NOT_FOUND', true, 404]]);
    expect(missing.state.phase).to.equal('error');
  });
});
