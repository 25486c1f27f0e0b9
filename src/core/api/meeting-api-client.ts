// Typed client for the token/policy server's HTTP contract (`/api/v1`).
import { MeetingError, isTransient } from './meeting-error.js';
import type {
  Admission,
  BreakoutInput,
  BreakoutSession,
  BreakoutToken,
  ChatMessage,
  Invitation,
  JoinResult,
  MediaSource,
  Meeting,
  MeetingStatusInfo,
  Policy,
  Poll,
  PollInput,
  Recording,
  Role,
  ServerParticipant,
  Waiter,
} from './types.js';

/** Returns the signed-in user's bearer token, or null for an anonymous guest. */
export type AuthProvider = () => Promise<string | null>;

export interface MeetingApiClientOptions {
  /** Where the server is, e.g. `https://meet.example.com` (the client adds `/api/v1`). */
  baseUrl: string;
  auth?: AuthProvider;
  fetch?: typeof fetch;
  /** Retries of idempotent calls after a network error, 502/503/504 or 429. */
  retries?: number;
}

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  idempotent?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export class MeetingApiClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  /** Guest tokens the server handed out, per meeting: the bearer for that meeting's later calls. */
  private readonly guestTokens = new Map<string, string>();

  constructor(private readonly options: MeetingApiClientOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new MeetingError(MeetingError.INVALID_ARGUMENT, `baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
    }
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.retries = options.retries ?? 2;
  }

  createMeeting(input: { title: string; policy?: Partial<Policy> }, signal?: AbortSignal): Promise<Meeting> {
    return this.request('POST', '/meetings', { body: input, signal });
  }

  getMeeting(id: string, signal?: AbortSignal): Promise<Meeting> {
    return this.request('GET', `/meetings/${seg(id)}`, { signal, idempotent: true }, id);
  }

  updateMeeting(id: string, input: { title?: string; policy?: Partial<Policy> }, signal?: AbortSignal): Promise<Meeting> {
    return this.request('PATCH', `/meetings/${seg(id)}`, { body: input, signal }, id);
  }

  deleteMeeting(id: string, signal?: AbortSignal): Promise<void> {
    return this.request('DELETE', `/meetings/${seg(id)}`, { signal, idempotent: true }, id);
  }

  startMeeting(id: string): Promise<Meeting> {
    return this.request('POST', `/meetings/${seg(id)}/start`, {}, id);
  }

  endMeeting(id: string): Promise<Meeting> {
    return this.request('POST', `/meetings/${seg(id)}/end`, {}, id);
  }

  status(id: string, signal?: AbortSignal): Promise<MeetingStatusInfo> {
    return this.request('GET', `/meetings/${seg(id)}/status`, { signal, idempotent: true }, id);
  }

  async join(id: string, input: { displayName?: string } = {}, signal?: AbortSignal): Promise<JoinResult> {
    const body = await this.request<(Admission & { guestToken?: string }) | { status: 'waiting'; waitingId: string; guestToken?: string }>(
      'POST',
      `/meetings/${seg(id)}/join`,
      { body: input, signal },
      id,
    );
    if (body.guestToken) this.guestTokens.set(id, body.guestToken);
    if ('waitingId' in body) return { status: 'waiting', waitingId: body.waitingId };
    return { status: 'admitted', token: body.token, livekitUrl: body.livekitUrl, identity: body.identity, role: body.role, ...(body.meeting ? { meeting: body.meeting } : {}) };
  }

  /**
   * Follows the waiting room with long polls until a host decides. Resolves with the admission;
   * rejects with `ADMISSION_DENIED` when denied, `ABORTED` when `signal` fires. A poll cut by the
   * network or a restarting server (5xx, 429) is sent again with backoff, for as long as it takes:
   * the place in line is the server's, and it is still there when the server is back.
   */
  async waitForAdmission(id: string, waitingId: string, signal?: AbortSignal, options: { onInterrupted?: (error: MeetingError) => void } = {}): Promise<Admission> {
    let failures = 0;
    for (;;) {
      let answer: { status: 'waiting' | 'admitted' | 'denied' } & Partial<Admission>;
      try {
        answer = await this.request('GET', `/meetings/${seg(id)}/waiting/${seg(waitingId)}?wait=25`, { signal, idempotent: true }, id);
      } catch (error) {
        if (signal?.aborted || !isTransient(error)) throw error;
        failures++;
        options.onInterrupted?.(error as MeetingError);
        await backoff(Math.min(failures, 5), signal);
        continue;
      }
      failures = 0;
      if (answer.status === 'denied') throw new MeetingError('ADMISSION_DENIED', 'A host declined your request to join.', 403);
      if (answer.status === 'admitted' && answer.token && answer.livekitUrl && answer.identity && answer.role) {
        return { token: answer.token, livekitUrl: answer.livekitUrl, identity: answer.identity, role: answer.role };
      }
    }
  }

  listWaiting(id: string, signal?: AbortSignal): Promise<Waiter[]> {
    return this.request('GET', `/meetings/${seg(id)}/waiting`, { signal, idempotent: true }, id);
  }

  admit(id: string, waitingId: string): Promise<unknown> {
    return this.request('POST', `/meetings/${seg(id)}/waiting/${seg(waitingId)}/admit`, { idempotent: true }, id);
  }

  deny(id: string, waitingId: string): Promise<unknown> {
    return this.request('POST', `/meetings/${seg(id)}/waiting/${seg(waitingId)}/deny`, { idempotent: true }, id);
  }

  leave(id: string): Promise<unknown> {
    return this.request('POST', `/meetings/${seg(id)}/leave`, { idempotent: true }, id);
  }

  participants(id: string, signal?: AbortSignal): Promise<ServerParticipant[]> {
    return this.request('GET', `/meetings/${seg(id)}/participants`, { signal, idempotent: true }, id);
  }

  mute(id: string, identity: string, source: MediaSource): Promise<unknown> {
    return this.request('POST', `/meetings/${seg(id)}/participants/${seg(identity)}/mute`, { body: { source }, idempotent: true }, id);
  }

  remove(id: string, identity: string): Promise<unknown> {
    return this.request('POST', `/meetings/${seg(id)}/participants/${seg(identity)}/remove`, { idempotent: true }, id);
  }

  setRole(id: string, identity: string, role: Exclude<Role, 'host'>): Promise<ServerParticipant> {
    return this.request('PUT', `/meetings/${seg(id)}/participants/${seg(identity)}/role`, { body: { role }, idempotent: true }, id);
  }

  lock(id: string): Promise<Meeting> {
    return this.request('POST', `/meetings/${seg(id)}/lock`, { idempotent: true }, id);
  }

  unlock(id: string): Promise<Meeting> {
    return this.request('POST', `/meetings/${seg(id)}/unlock`, { idempotent: true }, id);
  }

  /**
   * Raises or lowers the caller's hand. The server records it and sets the participant's `hand`
   * attribute in the room (the room sees it from there, this client included); raising twice keeps
   * the first time.
   */
  setHand(id: string, raised: boolean): Promise<{ identity: string; raised: boolean; raisedAt: string | null }> {
    return this.request('POST', `/meetings/${seg(id)}/hand`, { body: { raised }, idempotent: true }, id);
  }

  /**
   * A host's "lower all hands" (a route beyond v1.1): every raised hand, or only `identities`'.
   * Answers whose hands went down.
   */
  lowerHands(id: string, identities?: readonly string[]): Promise<{ lowered: string[] }> {
    return this.request('POST', `/meetings/${seg(id)}/hands/lower`, { body: identities === undefined ? {} : { identities: [...identities] }, idempotent: true }, id);
  }

  chatHistory(id: string, options: { after?: string; limit?: number } = {}, signal?: AbortSignal): Promise<ChatMessage[]> {
    return this.request('GET', `/meetings/${seg(id)}/chat${chatQuery(options)}`, { signal, idempotent: true }, id);
  }

  sendChat(id: string, text: string): Promise<ChatMessage & { delivered?: boolean }> {
    return this.request('POST', `/meetings/${seg(id)}/chat`, { body: { text } }, id);
  }

  /** A breakout room's own chat (the people assigned there, hosts and co-hosts); the main room's is not in it. */
  breakoutChatHistory(id: string, roomId: string, options: { after?: string; limit?: number } = {}, signal?: AbortSignal): Promise<ChatMessage[]> {
    return this.request('GET', `/meetings/${seg(id)}/breakouts/${seg(roomId)}/chat${chatQuery(options)}`, { signal, idempotent: true }, id);
  }

  /** Sends a message to a breakout room's chat: stored as that room's and delivered to that room only. */
  sendBreakoutChat(id: string, roomId: string, text: string): Promise<ChatMessage & { delivered?: boolean }> {
    return this.request('POST', `/meetings/${seg(id)}/breakouts/${seg(roomId)}/chat`, { body: { text } }, id);
  }

  /** The meeting's polls with their results, as this caller sees them (their own vote included). */
  listPolls(id: string, signal?: AbortSignal): Promise<Poll[]> {
    return this.request('GET', `/meetings/${seg(id)}/polls`, { signal, idempotent: true }, id);
  }

  /** Starts a poll (per the meeting's `polls` policy); the server tells the room. */
  createPoll(id: string, input: PollInput): Promise<Poll> {
    return this.request('POST', `/meetings/${seg(id)}/polls`, { body: input }, id);
  }

  /** Votes by option index; a new vote replaces the previous one while the poll is open. */
  vote(id: string, pollId: string, options: number[]): Promise<Poll> {
    return this.request('POST', `/meetings/${seg(id)}/polls/${seg(pollId)}/votes`, { body: { options }, idempotent: true }, id);
  }

  /** The open breakout rooms as this caller may see them (an attendee: their own room only); BREAKOUTS_NOT_OPEN when none are. */
  getBreakouts(id: string, signal?: AbortSignal): Promise<BreakoutSession> {
    return this.request('GET', `/meetings/${seg(id)}/breakouts`, { signal, idempotent: true }, id);
  }

  /** Opens breakout rooms (hosts and co-hosts): as listed, or `split: N` at random; the meeting is told. */
  openBreakouts(id: string, input: BreakoutInput): Promise<BreakoutSession> {
    return this.request('POST', `/meetings/${seg(id)}/breakouts`, { body: input }, id);
  }

  /** Closes the breakout rooms: everyone is told to come back. */
  closeBreakouts(id: string): Promise<BreakoutSession> {
    return this.request('POST', `/meetings/${seg(id)}/breakouts/close`, {}, id);
  }

  /** Sends a host's message to the main room and every open breakout room; how many rooms it reached. */
  broadcastToBreakouts(id: string, text: string): Promise<{ delivered: number }> {
    return this.request('POST', `/meetings/${seg(id)}/breakouts/broadcast`, { body: { text } }, id);
  }

  /** A token for one breakout room (the people assigned there, hosts and co-hosts). */
  joinBreakout(id: string, roomId: string, signal?: AbortSignal): Promise<BreakoutToken> {
    return this.request('POST', `/meetings/${seg(id)}/breakouts/${seg(roomId)}/join`, { signal }, id);
  }

  /** Closes a poll (host, co-host or its creator); closing twice answers the closed poll. */
  closePoll(id: string, pollId: string): Promise<Poll> {
    return this.request('POST', `/meetings/${seg(id)}/polls/${seg(pollId)}/close`, { idempotent: true }, id);
  }

  startRecording(id: string): Promise<Recording> {
    // Not retried: each refused attempt is recorded by the server as a failed recording.
    return this.request('POST', `/meetings/${seg(id)}/recordings/start`, {}, id);
  }

  stopRecording(id: string): Promise<Recording> {
    return this.request('POST', `/meetings/${seg(id)}/recordings/stop`, {}, id);
  }

  recordings(id: string, signal?: AbortSignal): Promise<Recording[]> {
    return this.request('GET', `/meetings/${seg(id)}/recordings`, { signal, idempotent: true }, id);
  }

  invite(id: string, input: { emails?: string[]; userIds?: string[] }): Promise<Invitation[]> {
    return this.request('POST', `/meetings/${seg(id)}/invitations`, { body: input }, id);
  }

  invitations(signal?: AbortSignal): Promise<Invitation[]> {
    return this.request('GET', '/invitations', { signal, idempotent: true });
  }

  answerInvitation(invitationId: string, answer: 'accept' | 'decline'): Promise<Invitation> {
    return this.request('POST', `/invitations/${seg(invitationId)}/${answer}`, { idempotent: true });
  }

  /** The URL of a meeting's event stream and the bearer to send with it. */
  async eventStream(id: string): Promise<{ url: string; bearer: string | null }> {
    return { url: `${this.base}/meetings/${seg(id)}/events`, bearer: await this.bearer(id) };
  }

  private async bearer(meetingId?: string): Promise<string | null> {
    const user = this.options.auth ? await this.options.auth() : null;
    if (user) return user;
    return meetingId === undefined ? null : (this.guestTokens.get(meetingId) ?? null);
  }

  private async request<T>(method: string, path: string, options: RequestOptions, meetingId?: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new MeetingError(MeetingError.ABORTED, 'The request was cancelled.');
      const headers: Record<string, string> = { accept: 'application/json' };
      const bearer = await this.bearer(meetingId);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.base}${path}`, { method, headers, body: body ?? null, signal: options.signal ?? null });
      } catch (error) {
        if (options.signal?.aborted) throw new MeetingError(MeetingError.ABORTED, 'The request was cancelled.');
        if (options.idempotent && attempt < this.retries) {
          await backoff(attempt, options.signal);
          continue;
        }
        throw new MeetingError(MeetingError.NETWORK, `The meeting server could not be reached (${(error as Error).message}).`);
      }
      if (response.ok) {
        const text = await response.text();
        return (text === '' ? undefined : JSON.parse(text)) as T;
      }
      if (options.idempotent && attempt < this.retries && RETRYABLE_STATUS.has(response.status)) {
        await backoff(attempt, options.signal, Number(response.headers.get('retry-after')) * 1000 || undefined);
        continue;
      }
      throw await errorFrom(response);
    }
  }
}

function seg(value: string): string {
  if (value === '') throw new MeetingError(MeetingError.INVALID_ARGUMENT, 'An id must not be empty.');
  return encodeURIComponent(value);
}

/** The query of a chat history read (`?after=…&limit=…`), or '' without either. */
function chatQuery(options: { after?: string; limit?: number }): string {
  const query = new URLSearchParams();
  if (options.after) query.set('after', options.after);
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  return query.size > 0 ? `?${query.toString()}` : '';
}

async function errorFrom(response: Response): Promise<MeetingError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) return new MeetingError(body.error.code, body.error.message ?? body.error.code, response.status, body.error.details);
  } catch {
    // Not the contract's error shape (a proxy's page, say): fall through.
  }
  return new MeetingError(response.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR', `The meeting server answered ${String(response.status)}.`, response.status);
}

function backoff(attempt: number, signal: AbortSignal | undefined, hintMs?: number): Promise<void> {
  const ms = Math.min(hintMs ?? 250 * 2 ** attempt, 5000);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new MeetingError(MeetingError.ABORTED, 'The request was cancelled.'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new MeetingError(MeetingError.ABORTED, 'The request was cancelled.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
