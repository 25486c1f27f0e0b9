// Bots as people in a meeting: each signs in (the token server's dev sign-in), joins the meeting
// through the token server's HTTP API (POST /meetings/:id/join gives the LiveKit token and URL, as it
// gives the widget), and then raises its hand and chats through the same API, as the widget does.
import { RtcBot, type BotConnectOptions } from './rtc-bot.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: HTTP ${String(status)} ${JSON.stringify(body)}`);
  }
}

/** A JSON call to the token server's `/api/v1`; rejects with ApiError on a status of 400 or more. */
export async function callApi<T>(apiUrl: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${apiUrl}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (res.status >= 400) throw new ApiError(res.status, parsed, `${method} ${path}`);
  return parsed as T;
}

/** A signed-in user of the dev sign-in: its bearer token. */
export async function signIn(apiUrl: string, name: string, email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@bots.example.com`): Promise<string> {
  const { token } = await callApi<{ token: string }>(apiUrl, 'POST', '/dev/session', undefined, { name, email });
  return token;
}

/** A meeting hosted by `hostToken`'s user, started so that attendees may join. */
export async function startMeeting(apiUrl: string, hostToken: string, policy: Record<string, unknown> = {}): Promise<{ id: string; roomName: string }> {
  const meeting = await callApi<{ id: string; roomName: string }>(apiUrl, 'POST', '/meetings', hostToken, { title: 'Bots meeting', policy });
  await callApi(apiUrl, 'POST', `/meetings/${meeting.id}/start`, hostToken);
  return meeting;
}

export interface Admission {
  token: string;
  livekitUrl: string;
  identity: string;
  role: string;
}

export class MeetingBot {
  private constructor(
    readonly rtc: RtcBot,
    readonly admission: Admission,
    readonly displayName: string,
    private readonly apiUrl: string,
    private readonly meetingId: string,
    private readonly userToken: string,
  ) {}

  /** Signs in as `displayName`, joins the meeting through the token server and connects to its room. */
  static async join(apiUrl: string, meetingId: string, displayName: string, options: BotConnectOptions = {}): Promise<MeetingBot> {
    const userToken = await signIn(apiUrl, displayName);
    const admission = await callApi<Admission>(apiUrl, 'POST', `/meetings/${meetingId}/join`, userToken, { displayName });
    const rtc = await RtcBot.connect(admission.livekitUrl, admission.token, options);
    return new MeetingBot(rtc, admission, displayName, apiUrl, meetingId, userToken);
  }

  get identity(): string {
    return this.admission.identity;
  }

  /** POST /meetings/:id/hand: the server sets the `hand` attribute the room sees. */
  async raiseHand(raised = true): Promise<void> {
    await callApi(this.apiUrl, 'POST', `/meetings/${this.meetingId}/hand`, this.userToken, { raised });
  }

  /** POST /meetings/:id/chat: stored, and delivered to the room by the server. */
  async chat(text: string): Promise<void> {
    await callApi(this.apiUrl, 'POST', `/meetings/${this.meetingId}/chat`, this.userToken, { text });
  }

  /** Leaves the room, then tells the token server (which frees the seat). */
  async leave(): Promise<void> {
    await this.rtc.leave();
    await callApi(this.apiUrl, 'POST', `/meetings/${this.meetingId}/leave`, this.userToken);
  }
}

/**
 * `count` bots joining `meetingId`, at most `parallel` at a time (joins on a shared machine are
 * CPU-bound; a few in flight is as fast as many and kinder to everyone else). `setup` runs for each
 * bot once it is in (publish, speak…). When one fails, those already in leave and the failure is thrown.
 */
export async function joinBots(
  apiUrl: string,
  meetingId: string,
  count: number,
  options: { parallel?: number; namePrefix?: string; setup?: (bot: MeetingBot, index: number) => Promise<void>; connect?: BotConnectOptions } = {},
): Promise<MeetingBot[]> {
  const { parallel = 4, namePrefix = 'Bot', setup } = options;
  const bots: MeetingBot[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const bot = await MeetingBot.join(apiUrl, meetingId, `${namePrefix} ${String(index + 1).padStart(3, '0')}`, options.connect);
      bots[index] = bot;
      if (setup) await setup(bot, index);
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(parallel, count) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(bots.filter(Boolean).map((b) => b.leave()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return bots;
}
