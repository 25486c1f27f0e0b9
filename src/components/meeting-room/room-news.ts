// What <meeting-room> tells about the meeting as it happens: the core's typed news events, passed
// on as the room's DOM events, as sentences for its live region and as passing toasts. Nothing here
// looks at state snapshots: the core says what is news (a message that arrives after joining is;
// the history found on arrival is not), so a late joiner hears only what happens after they came.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { PhaseReason } from '../../core/controller/state.js';
import type { MessageKey } from '../../i18n/catalogue.js';
import type { MeetingEventMap as DomEventMap } from '../../internal/meeting-element.js';
import type {} from './room-events.js';
import { Toasts } from './toasts.js';

/** The longest piece of a chat message the live region reads out. */
const ANNOUNCED_CHAT_LENGTH = 140;

/** What the news needs of the room: its events and its words. */
export interface NewsOutlet {
  emit: <K extends Extract<keyof DomEventMap, string>>(name: K, detail: DomEventMap[K]) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  errorText: (reason: Pick<PhaseReason, 'code' | 'params'>) => string;
}

export class RoomNews implements ReactiveController {
  /** The latest sentence (or sentences, when several things happened at once) for the live region. */
  announcement = '';
  readonly toasts: Toasts;
  private source: MeetingController | undefined;
  private stops: Array<() => void> = [];
  private connected = false;
  /** Sentences gathered in this task, read out together at its end. */
  private lines: string[] | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly out: NewsOutlet,
  ) {
    host.addController(this);
    this.toasts = new Toasts(host);
  }

  /** Passes on `controller`'s news from now on (or nobody's). */
  follow(controller: MeetingController | undefined): void {
    if (controller === this.source) return;
    this.release();
    this.source = controller;
    this.announcement = '';
    this.toasts.clear();
    if (this.connected) this.listen();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.release();
  }

  /** How many core listeners are held now (tests of the room's hygiene). */
  get listening(): number {
    return this.stops.length;
  }

  private say(line: string): void {
    if (this.lines) {
      this.lines.push(line);
      return;
    }
    const lines = [line];
    this.lines = lines;
    queueMicrotask(() => {
      this.lines = undefined;
      this.announcement = lines.join(' ');
      this.host.requestUpdate();
    });
  }

  private listen(): void {
    const c = this.source;
    if (!c || this.stops.length > 0) return;
    const { emit, t, errorText } = this.out;
    this.stops = [
      c.on('phase-change', ({ phase, previous, reason }) => {
        // Every meeting starts by opening the lobby: not news for the host page.
        if (previous === 'idle' && phase === 'lobby') return;
        emit('meeting-phase-change', { phase, previous, reason });
      }),
      c.on('joined', (detail) => {
        emit('meeting-joined', detail);
      }),
      c.on('left', (detail) => {
        emit('meeting-left', detail);
      }),
      c.on('ended', (detail) => {
        emit('meeting-ended', detail);
      }),
      c.on('error', ({ code, params, fatal }) => {
        // A failed action is shown in the call; the host page hears of what ends the meeting for the user.
        if (fatal) emit('meeting-error', { code, message: errorText({ code, params }), params });
      }),
      c.on('reconnecting', (detail) => {
        emit('meeting-reconnecting', detail);
      }),
      c.on('reconnected', (detail) => {
        emit('meeting-reconnected', detail);
      }),
      c.on('participant-joined', ({ identity, name }) => {
        this.say(t('announce.joined', { name }));
        this.toasts.add('joined', name);
        emit('meeting-participant-joined', { identity, name });
      }),
      c.on('participant-left', ({ identity, name }) => {
        this.say(t('announce.left', { name }));
        this.toasts.add('left', name);
        emit('meeting-participant-left', { identity, name });
      }),
      c.on('chat-message', (message) => {
        if (!message.isLocal) this.say(t('announce.chat', { name: message.displayName, text: message.text.slice(0, ANNOUNCED_CHAT_LENGTH) }));
        emit('meeting-chat-message', message);
      }),
      c.on('hand-raised', ({ identity, name, isLocal }) => {
        this.say(t('announce.hand', { name }));
        if (!isLocal) this.toasts.add('hand', name);
        emit('meeting-hand-raised', { identity, name, raised: true });
      }),
      c.on('hand-lowered', ({ identity, name }) => {
        emit('meeting-hand-raised', { identity, name, raised: false });
      }),
      c.on('recording-started', (detail) => {
        this.say(t('announce.recordingStarted'));
        emit('meeting-recording-started', detail);
      }),
      c.on('recording-stopped', (detail) => {
        this.say(t('announce.recordingStopped'));
        emit('meeting-recording-stopped', detail);
      }),
      c.on('poll-opened', (poll) => {
        const name = c.state.participants.find((p) => p.identity === poll.createdBy)?.name;
        this.say(poll.isLocal ? t('announce.pollOpenedByYou', { question: poll.question }) : t('announce.pollOpened', { name: name ?? t('polls.heading'), question: poll.question }));
        emit('meeting-poll-opened', poll);
      }),
      c.on('poll-closed', (poll) => {
        this.say(t('announce.pollClosed', { question: poll.question }));
        emit('meeting-poll-closed', poll);
      }),
      c.on('breakouts-opened', () => {
        this.say(t('announce.breakoutsOpened'));
      }),
      c.on('breakout-moving', ({ roomId, name }) => {
        if (roomId !== null) this.say(t('announce.breakoutMoving', { room: name ?? '' }));
      }),
      c.on('breakout-moved', ({ name }) => {
        this.say(t('announce.breakoutMoved', { room: name ?? '' }));
      }),
      c.on('breakout-returned', ({ closed }) => {
        this.say(t(closed ? 'announce.breakoutsClosed' : 'announce.breakoutReturned'));
      }),
      c.on('breakout-broadcast', ({ text, from }) => {
        this.say(t('announce.breakoutBroadcast', { from, text: text.slice(0, ANNOUNCED_CHAT_LENGTH) }));
        this.toasts.add('broadcast', text);
        emit('meeting-breakout-broadcast', { text, from });
      }),
      c.on('waiter-arrived', ({ displayName }) => {
        this.say(t('announce.waiter', { name: displayName }));
      }),
    ];
  }

  private release(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}
