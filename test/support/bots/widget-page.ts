// One Chromium page running the built widget (`dist/cdn/meeting-widget.js`): `<meeting-room>` joins a
// meeting through the token server as a signed-in user, and this reads what its user would see and
// what it costs: the tiles of the current page (who, speaking, playing video), the pager, each
// incoming video stream's decoded frames (the page's peer connections are kept from the start to ask
// them), when each tile started or stopped speaking, and the page's main-thread time and JS heap.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { serveText, startTestServer, type TestServer } from '../static-server.js';

export const BUNDLE = fileURLToPath(new URL('../../../dist/cdn/meeting-widget.js', import.meta.url));

export interface TileFacts {
  identity: string;
  speaking: boolean;
  /** The tile's video has a picture (its element has a size). */
  video: boolean;
  /** The tile shows a raised hand. */
  hand: boolean;
}

export interface GridFacts {
  tiles: TileFacts[];
  /** The pager's "page / pages", or null when everyone fits on one page. */
  pager: string | null;
}

export interface InboundVideo {
  /** The receive slot's stream (one per slot: a slot keeps its SSRC across the tracks it carries). */
  ssrc: number;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}

export interface PageCost {
  /** Seconds of main-thread tasks since the page opened (CDP Performance.TaskDuration). */
  taskSeconds: number;
  jsHeapBytes: number;
  at: number;
}

export interface WidgetPage {
  page: Page;
  /** Milliseconds from opening the page to `meeting-joined`. */
  joinMs: number;
  grid(): Promise<GridFacts>;
  inboundVideo(): Promise<InboundVideo[]>;
  /** Every change of a tile's speaking state seen since the page opened, with Date.now() times. */
  speakingLog(): Promise<Array<{ identity: string; speaking: boolean; at: number }>>;
  /**
   * When the media server's speaker updates reached the page's livekit-client, with who they named
   * active: the widget's own share of a speaker change is from here to the tile. Empty when the
   * page's room could not be reached (it is read through the core's internals).
   */
  speakerSignals(): Promise<Array<{ identities: string[]; at: number }>>;
  /** What the widget told the page (its `meeting-chat-message` and `meeting-hand-raised` events). */
  events(): Promise<Array<{ type: string; detail: Record<string, unknown> }>>;
  cost(): Promise<PageCost>;
  close(): Promise<void>;
}

export interface WidgetPageOptions {
  apiUrl: string;
  meetingId: string;
  /** The bearer token of the signed-in user the page joins as. */
  userToken: string;
  displayName: string;
  width?: number;
  height?: number;
  /** Whether the page publishes its (fake) camera and microphone. */
  media?: boolean;
  joinTimeoutMs?: number;
}

let site: Promise<TestServer> | undefined;

/** The page's site: the bundle and an empty page, served once per process. */
function widgetSite(): Promise<TestServer> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  site ??= startTestServer([
    serveText('/', 'text/html; charset=utf-8', '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>meeting</title><style>html,body{margin:0;height:100%}meeting-room{height:100vh}</style></head><body></body></html>'),
    // The bundle and the chunks it imports.
    ...readdirSync(dirname(BUNDLE))
      .filter((name) => name.endsWith('.js'))
      .map((name) => serveText(`/${name}`, 'text/javascript', readFileSync(join(dirname(BUNDLE), name)))),
  ]);
  return site;
}

export async function closeWidgetSite(): Promise<void> {
  const running = site;
  site = undefined;
  await (await running)?.close();
}

/** Everything the page needs to be read from outside, installed before any of its scripts run. */
function instrument(): void {
  const w = window as unknown as { __pcs: RTCPeerConnection[]; __speaking: Array<{ identity: string; speaking: boolean; at: number }> };
  w.__pcs = [];
  w.__speaking = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__pcs.push(this);
    }
  };
}

export async function openWidgetPage(browser: Browser, options: WidgetPageOptions): Promise<WidgetPage> {
  const server = await widgetSite();
  const page = await browser.newPage();
  await page.setViewport({ width: options.width ?? 1280, height: options.height ?? 800 });
  // tsx compiles functions with esbuild's keepNames, which wraps named functions in a `__name`
  // helper that the page does not have; the functions handed to the page need it defined.
  await page.evaluateOnNewDocument('globalThis.__name = (target) => target;');
  await page.evaluateOnNewDocument(instrument);
  const cdp: CDPSession = await page.createCDPSession();
  await cdp.send('Performance.enable');
  const opened = Date.now();
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  await page.evaluate(
    async (o: { apiUrl: string; meetingId: string; userToken: string; displayName: string; media: boolean }) => {
      // A URL the page resolves, not a module of this project.
      const bundle = '/meeting-widget.js';
      await import(bundle);
      const room = document.createElement('meeting-room') as HTMLElement & { auth?: () => Promise<string> };
      room.auth = () => Promise.resolve(o.userToken);
      room.setAttribute('server', o.apiUrl);
      room.setAttribute('meeting-id', o.meetingId);
      room.setAttribute('display-name', o.displayName);
      room.setAttribute('skip-lobby', '');
      if (!o.media) {
        room.setAttribute('audio', 'off');
        room.setAttribute('video', 'off');
      }
      const w = window as unknown as { __joined?: number; __error?: string; __events: Array<{ type: string; detail: unknown }> };
      w.__events = [];
      for (const type of ['meeting-chat-message', 'meeting-hand-raised']) room.addEventListener(type, (event) => w.__events.push({ type, detail: (event as CustomEvent).detail }));
      room.addEventListener('meeting-joined', () => (w.__joined = Date.now()));
      room.addEventListener('meeting-error', (event) => (w.__error = JSON.stringify((event as CustomEvent).detail)));
      document.body.append(room);
    },
    { apiUrl: options.apiUrl, meetingId: options.meetingId, userToken: options.userToken, displayName: options.displayName, media: options.media ?? true },
  );
  await page.waitForFunction(() => (window as unknown as { __joined?: number; __error?: string }).__joined !== undefined, { timeout: options.joinTimeoutMs ?? 60_000, polling: 50 }).catch(async (error: unknown) => {
    const problem = await page.evaluate(() => (window as unknown as { __error?: string }).__error ?? 'none');
    throw new Error(`the widget did not join: ${(error as Error).message}; meeting-error ${problem}`);
  });
  const joinMs = (await page.evaluate(() => (window as unknown as { __joined: number }).__joined)) - opened;
  // Speaking changes as the grid shows them, timed in the page when they happen; and the speaker
  // updates as the page's livekit-client receives them (through the core's room and the SDK's signal
  // client: internals both, so nothing fails if they are not there).
  await page.evaluate(() => {
    const w = window as unknown as { __speaking: Array<{ identity: string; speaking: boolean; at: number }>; __signals: Array<{ identities: string[]; at: number }> };
    w.__signals = [];
    type SpeakerInfo = { sid: string; active: boolean };
    type LkRoom = { remoteParticipants: Map<string, { sid: string; identity: string }>; engine?: { client?: { onSpeakersChanged?: (s: SpeakerInfo[]) => void } } };
    const room = (document.querySelector('meeting-room') as unknown as { controller?: { ctx?: { link?: { room?: LkRoom } } } } | null)?.controller?.ctx?.link?.room;
    const client = room?.engine?.client;
    const original = client?.onSpeakersChanged;
    if (room && client && original) {
      client.onSpeakersChanged = (speakers) => {
        const at = Date.now();
        const identities = speakers.filter((s) => s.active).map((s) => [...room.remoteParticipants.values()].find((p) => p.sid === s.sid)?.identity ?? s.sid);
        w.__signals.push({ identities, at });
        original.call(client, speakers);
      };
    }
    const grid = (): ShadowRoot | null | undefined => document.querySelector('meeting-room')?.shadowRoot?.querySelector('participant-grid')?.shadowRoot;
    const note = (tile: Element): void => {
      w.__speaking.push({ identity: tile.getAttribute('identity') ?? '', speaking: tile.hasAttribute('speaking'), at: Date.now() });
    };
    const watch = (): void => {
      const root = grid();
      if (!root) {
        setTimeout(watch, 50);
        return;
      }
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'attributes' && record.target instanceof Element && record.target.localName === 'participant-tile') note(record.target);
          for (const node of record.addedNodes) if (node instanceof Element && node.localName === 'participant-tile' && node.hasAttribute('speaking')) note(node);
        }
      }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['speaking'] });
    };
    watch();
  });
  return {
    page,
    joinMs,
    grid: () =>
      page.evaluate(() => {
        const root = document.querySelector('meeting-room')?.shadowRoot?.querySelector('participant-grid')?.shadowRoot;
        const tiles = [...(root?.querySelectorAll('participant-tile') ?? [])].map((tile) => ({
          identity: tile.getAttribute('identity') ?? '',
          speaking: tile.hasAttribute('speaking'),
          video: (tile.shadowRoot?.querySelector('video')?.videoWidth ?? 0) > 0,
          hand: tile.shadowRoot?.querySelector('[part~="hand"]') != null,
        }));
        return { tiles, pager: root?.querySelector('.pager span')?.textContent.trim() ?? null };
      }),
    inboundVideo: () =>
      page.evaluate(async () => {
        const out: Array<{ ssrc: number; framesDecoded: number; frameWidth: number; frameHeight: number }> = [];
        for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
          if (pc.connectionState === 'closed') continue;
          const stats = await pc.getStats();
          stats.forEach((s: Record<string, unknown>) => {
            if (s.type === 'inbound-rtp' && s.kind === 'video') {
              out.push({ ssrc: Number(s.ssrc), framesDecoded: Number(s.framesDecoded ?? 0), frameWidth: Number(s.frameWidth ?? 0), frameHeight: Number(s.frameHeight ?? 0) });
            }
          });
        }
        return out;
      }),
    events: () => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __events: unknown[] }).__events)) as Array<{ type: string; detail: Record<string, unknown> }>),
    speakingLog: () => page.evaluate(() => [...(window as unknown as { __speaking: Array<{ identity: string; speaking: boolean; at: number }> }).__speaking]),
    speakerSignals: () => page.evaluate(() => [...(window as unknown as { __signals: Array<{ identities: string[]; at: number }> }).__signals]),
    async cost() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
      return { taskSeconds: value('TaskDuration'), jsHeapBytes: value('JSHeapUsedSize'), at: Date.now() };
    },
    async close() {
      await page.close().catch(() => undefined);
    },
  };
}

/** The ssrcs of inbound video streams that decoded frames between two readings, with their frame rates. */
export function activeVideo(before: readonly InboundVideo[], after: readonly InboundVideo[], seconds: number): Array<InboundVideo & { fps: number }> {
  return after
    .map((stream) => {
      const earlier = before.find((b) => b.ssrc === stream.ssrc)?.framesDecoded ?? 0;
      return { ...stream, fps: (stream.framesDecoded - earlier) / seconds };
    })
    .filter((s) => s.fps > 0);
}
