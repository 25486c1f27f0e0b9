import { expect } from '@open-wc/testing';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { MeetingError } from '../../src/core/api/meeting-error.js';
import { createMeeting, guestClient, restartMediaServer, signIn, startStack, stateWhere, stopStack, type Stack } from '../support/meeting-stack.js';

describe('MeetingController against the token server and the embedded media server', function () {
  this.timeout(40000);
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

  function track(controller: MeetingController): MeetingController {
    controllers.push(controller);
    return controller;
  }

  async function hostAndMeeting(policy = {}) {
    const hostApi = await signIn(stack, 'Hana');
    const meetingId = await createMeeting(hostApi, policy);
    const host = track(new MeetingController({ api: hostApi, meetingId }));
    return { hostApi, meetingId, host };
  }

  it('previews real fake-device media in the lobby, then joins with it published', async () => {
    const { host } = await hostAndMeeting();
    await host.preview();
    expect(host.state.phase).to.equal('lobby');
    expect(host.state.local.camera.enabled).to.equal(true);
    expect(host.state.local.microphone.enabled).to.equal(true);
    expect(host.state.local.permissions).to.deep.equal({ microphone: 'granted', camera: 'granted' });
    expect(host.state.local.devices.videoinput.length).to.be.greaterThan(0);
    await stateWhere(host, (s) => s.local.micLevel > 0, 'the microphone meter to move');

    const video = document.createElement('video');
    video.muted = true;
    const detach = host.attach('', 'camera', video);
    expect(video.srcObject).to.not.equal(null);
    detach();

    await host.join({ displayName: 'Hana' });
    const state = await stateWhere(host, (s) => s.participants[0]?.camera.trackSid !== undefined, 'the camera to be published');
    expect(state.phase).to.equal('connected');
    expect(state.role).to.equal('host');
    expect(state.abilities).to.include({ moderate: true, endMeeting: true, chat: true });
    expect(state.participants.map((p) => p.isLocal)).to.deep.equal([true]);
  });

  it('a refused camera and microphone end in a clear lobby state and a typed rejection', async () => {
    const { host } = await hostAndMeeting();
    // The browser's permission prompt cannot be clicked here; a refusal is what getUserMedia reports.
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      const error = await host.preview().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(MeetingError);
      expect((error as MeetingError).code).to.equal('PERMISSION_DENIED');
    } finally {
      navigator.mediaDevices.getUserMedia = original;
    }
    expect(host.state.phase).to.equal('lobby');
    expect(host.state.local.permissions).to.deep.equal({ microphone: 'denied', camera: 'denied' });
    expect(host.state.local.camera).to.deep.equal({ enabled: false, pending: false });
    expect(host.state.lastError?.code).to.equal('PERMISSION_DENIED');
    // Joining without media still works.
    await host.join({ displayName: 'Hana' });
    expect(host.state.phase).to.equal('connected');
  });

  it('two people see each other, with the other camera playing', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.preview();
    await host.join({ displayName: 'Hana' });
    const guestApi = await signIn(stack, 'Gil');
    const guest = track(new MeetingController({ api: guestApi, meetingId }));
    await guest.join({ displayName: 'Gil' });
    const seen = await stateWhere(guest, (s) => s.participants.length === 2 && s.participants[1]?.camera.subscribed === true, 'the host camera subscribed');
    expect(seen.participants[0]?.isLocal).to.equal(true);
    const hostView = seen.participants[1]!;
    expect(hostView.name).to.equal('Hana');
    expect(hostView.role).to.equal('host');

    const video = document.createElement('video');
    video.muted = true;
    document.body.append(video);
    const detach = guest.attach(hostView.identity, 'camera', video);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame')), 10000);
      video.addEventListener('loadeddata', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    expect(video.videoWidth).to.be.greaterThan(0);
    detach();
    video.remove();
    await stateWhere(host, (s) => s.participants.length === 2, 'the host to see the guest');
  });

  it('waiting room: the guest waits, the host sees the request live and admits', async () => {
    const { host, meetingId } = await hostAndMeeting({ waitingRoom: true });
    await host.join({ displayName: 'Hana' });
    const guest = track(new MeetingController({ api: await signIn(stack, 'Wes'), meetingId }));
    const joining = guest.join({ displayName: 'Wes' });
    await stateWhere(guest, (s) => s.phase === 'waiting', 'the guest to wait');
    const withWaiter = await stateWhere(host, (s) => s.waiting.length === 1, 'the host to see the waiter');
    expect(withWaiter.waiting[0]?.displayName).to.equal('Wes');
    await host.admit(withWaiter.waiting[0]!.waitingId);
    await joining;
    expect(guest.state.phase).to.equal('connected');
  });

  it('waiting room: a denied guest ends in the denied phase with a typed rejection', async () => {
    const { host, meetingId } = await hostAndMeeting({ waitingRoom: true, allowAnonymous: true });
    await host.join({ displayName: 'Hana' });
    const guest = track(new MeetingController({ api: guestClient(stack), meetingId }));
    const joining = guest.join({ displayName: 'Anon' }).catch((e: unknown) => e);
    const withWaiter = await stateWhere(host, (s) => s.waiting.length === 1, 'the host to see the waiter');
    await host.deny(withWaiter.waiting[0]!.waitingId);
    const error = await joining;
    expect(error).to.be.instanceOf(MeetingError);
    expect((error as MeetingError).code).to.equal('ADMISSION_DENIED');
    expect(guest.state.phase).to.equal('denied');
    expect(guest.state.reason?.code).to.equal('ADMISSION_DENIED');
  });

  it('chat, hands and reactions reach the other side', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const guest = track(new MeetingController({ api: await signIn(stack, 'Cy'), meetingId }));
    await guest.join({ displayName: 'Cy' });
    await stateWhere(host, (s) => s.participants.length === 2, 'two participants');

    await guest.sendChat('  hello there  ');
    const withChat = await stateWhere(host, (s) => s.chat.messages.length === 1, 'the message');
    expect(withChat.chat.messages[0]).to.include({ text: 'hello there', displayName: 'Cy' });
    expect(withChat.chat.unread).to.equal(1);
    expect(guest.state.chat.unread).to.equal(0);
    host.setChatOpen(true);
    expect(host.state.chat.unread).to.equal(0);

    await guest.raiseHand();
    const raised = await stateWhere(host, (s) => s.hands.length === 1, 'the raised hand');
    expect(raised.hands[0]).to.equal(guest.state.localIdentity);
    await guest.lowerHand();
    await stateWhere(host, (s) => s.hands.length === 0, 'the lowered hand');

    await guest.react('👍');
    const reacted = await stateWhere(host, (s) => s.reactions.length === 1, 'the reaction');
    expect(reacted.reactions[0]).to.include({ emoji: '👍', identity: guest.state.localIdentity });
    for (let i = 0; i < 4; i++) await guest.react('🎉');
    const limited = await guest.react('🎉').catch((e: unknown) => e);
    expect((limited as MeetingError).code).to.equal('RATE_LIMITED');
  });

  it('rejects bad input with typed errors and records them in state', async () => {
    const { host } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const empty = await host.sendChat('   ').catch((e: unknown) => e);
    expect((empty as MeetingError).code).to.equal('VALIDATION_FAILED');
    expect(host.state.lastError?.code).to.equal('VALIDATION_FAILED');
    const longName = await new MeetingController({ api: guestClient(stack), meetingId: 'x' }).join({ displayName: 'x'.repeat(81) }).catch((e: unknown) => e);
    expect((longName as MeetingError).code).to.equal('VALIDATION_FAILED');
    const unknownDevice = await host.selectDevice('videoinput', 'no-such-device').catch((e: unknown) => e);
    expect((unknownDevice as MeetingError).code).to.equal('VALIDATION_FAILED');
    const missing = track(new MeetingController({ api: await signIn(stack, 'Mo'), meetingId: '00000000-0000-4000-8000-000000000000' }));
    const notFound = await missing.join().catch((e: unknown) => e);
    expect((notFound as MeetingError).code).to.equal('MEETING_NOT_FOUND');
    expect(missing.state.phase).to.equal('error');
  });

  it('pages cameras: only the tiles on the visible page are subscribed', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const others: MeetingController[] = [];
    for (const name of ['Ann', 'Bo']) {
      const other = track(new MeetingController({ api: await signIn(stack, name), meetingId }));
      await other.preview({ audio: false, video: true });
      await other.join({ displayName: name });
      others.push(other);
    }
    host.setPageSize(2);
    const paged = await stateWhere(host, (s) => s.participants.length === 3 && s.participants.filter((p) => !p.isLocal).every((p) => p.camera.trackSid !== undefined), 'both cameras announced');
    expect(paged.pageCount).to.equal(2);
    const onPage = paged.visible.find((id) => id !== paged.localIdentity)!;
    const offPage = paged.participants.find((p) => !p.isLocal && p.identity !== onPage)!.identity;
    const settled = await stateWhere(
      host,
      (s) => s.participants.find((p) => p.identity === onPage)?.camera.subscribed === true && s.participants.find((p) => p.identity === offPage)?.camera.subscribed === false,
      'the page-1 camera subscribed, the other not',
    );
    expect(settled.visible).to.have.length(2);
    host.setPage(1);
    await stateWhere(host, (s) => s.participants.find((p) => p.identity === offPage)?.camera.subscribed === true, 'page 2 camera subscribed');
  });

  it('host moderation: mute, make co-host, remove, then end for everyone', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const guest = track(new MeetingController({ api: await signIn(stack, 'Gus'), meetingId }));
    await guest.preview({ audio: true, video: false });
    await guest.join({ displayName: 'Gus' });
    const guestId = guest.state.localIdentity!;
    await stateWhere(host, (s) => s.participants.find((p) => p.identity === guestId)?.microphone.trackSid !== undefined, 'the guest microphone');

    await host.mute(guestId, 'microphone');
    await stateWhere(guest, (s) => !s.local.microphone.enabled, 'the guest to be muted');
    await stateWhere(host, (s) => s.participants.find((p) => p.identity === guestId)?.microphone.muted === true, 'the host to see the mute');

    await host.setRole(guestId, 'co-host');
    await stateWhere(host, (s) => s.participants.find((p) => p.identity === guestId)?.role === 'co-host', 'the new co-host');

    const third = track(new MeetingController({ api: await signIn(stack, 'Tia'), meetingId }));
    await third.join({ displayName: 'Tia' });
    await host.remove(third.state.localIdentity!);
    const removed = await stateWhere(third, (s) => s.phase === 'left', 'the removed participant to be out');
    expect(removed.reason?.code).to.equal('REMOVED');

    await host.end();
    expect(host.state.phase).to.equal('ended');
    const ended = await stateWhere(guest, (s) => s.phase === 'ended', 'the meeting to end for the guest');
    expect(ended.reason?.code).to.equal('MEETING_ENDED');
  });

  it('an attendee cannot use host actions: refused before any call, and by the server', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const guestApi = await signIn(stack, 'Abe');
    const guest = track(new MeetingController({ api: guestApi, meetingId }));
    await guest.join({ displayName: 'Abe' });
    const local = await guest.mute(host.state.localIdentity!).catch((e: unknown) => e);
    expect((local as MeetingError).code).to.equal('INSUFFICIENT_PERMISSION');
    const server = await guestApi.remove(meetingId, host.state.localIdentity!).catch((e: unknown) => e);
    expect((server as MeetingError).code).to.equal('INSUFFICIENT_PERMISSION');
    expect((server as MeetingError).status).to.equal(403);
    expect(guest.state.abilities.record).to.equal(false);
    expect(host.state.abilities.record).to.equal(true);
    const recording = await guest.startRecording().catch((e: unknown) => e);
    expect((recording as MeetingError).code).to.equal('FEATURE_DISABLED');
    expect(guest.state.recording.pending).to.equal(false);
  });

  it('rejoins once with a fresh token when the media server goes away, keeping chat and layout', async () => {
    const { host, meetingId } = await hostAndMeeting();
    await host.join({ displayName: 'Hana' });
    const guest = track(new MeetingController({ api: await signIn(stack, 'Rex'), meetingId }));
    await guest.join({ displayName: 'Rex' });
    await guest.sendChat('before the restart');
    await stateWhere(host, (s) => s.chat.messages.length === 1 && s.participants.length === 2, 'chat and both participants');
    host.setLayout('speaker');
    const phases: string[] = [];
    const stop = host.subscribe((s) => phases.push(s.phase));

    await restartMediaServer();
    await stateWhere(host, (s) => s.phase === 'connected' && s.participants.length === 2 && phases.includes('reconnecting'), 'the host back with the guest', 20000);
    stop();
    expect(host.state.chat.messages.map((m) => m.text)).to.deep.equal(['before the restart']);
    expect(host.state.layout).to.equal('speaker');
    await stateWhere(guest, (s) => s.phase === 'connected' && s.participants.length === 2, 'the guest back too', 20000);
  });

  it('leaves and joins 20 times without leaking listeners, timers or media', async () => {
    const { host } = await hostAndMeeting();
    let roomListenersWhileIn = 0;
    for (let i = 0; i < 20; i++) {
      await host.join({ displayName: 'Hana' });
      roomListenersWhileIn = host.resources.roomListeners;
      await host.leave();
      expect(host.resources).to.deep.equal({ stateListeners: 0, roomListeners: 0, timers: 0, tracks: 0, room: false });
    }
    expect(roomListenersWhileIn).to.be.greaterThan(0);
    expect(host.state.phase).to.equal('left');
  });
});
