// A participant run by LiveKit's Rust SDK for Node (`@livekit/rtc-node`): what the media suites and the
// large-meeting bench use as real people. It joins with a token, publishes a synthetic microphone (a
// tone while it "speaks", silence otherwise, so speaking is detected from the audio level the encoder
// writes) and a small synthetic camera, mutes and unmutes, sends data and leaves. Nothing here knows
// which server it talks to: the same bot joins the embedded media server and LiveKit.
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  type LocalTrackPublication,
} from '@livekit/rtc-node';
import { FfiEvent, FfiRequest, FfiResponse, LocalTrackMuteRequest, livekitFfiRequest, livekitInitialize } from '@livekit/rtc-ffi-bindings';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const SAMPLE_RATE = 48_000;
/**
 * Audio goes to the SDK in 20 ms frames (one Opus packet each), and only while the bot speaks: the
 * first packet of speech leaves within a frame of `speak(true)`, and a silent bot costs no timer.
 */
const AUDIO_FRAME_MS = 20;
const SAMPLES_PER_FRAME = (SAMPLE_RATE * AUDIO_FRAME_MS) / 1000;
/** Frames of the moving test picture computed once per size and cycled. */
const VIDEO_PATTERN_FRAMES = 24;

export interface BotConnectOptions {
  /** Subscribe to everything published (default false: a bot in a large room listens to nobody). */
  autoSubscribe?: boolean;
}

export interface VideoOptions {
  width?: number;
  height?: number;
  fps?: number;
  simulcast?: boolean;
}

export class RtcBot {
  private audio: { source: AudioSource; track: LocalAudioTrack; publication: LocalTrackPublication; timer: NodeJS.Timeout | undefined } | undefined;
  private video: { source: VideoSource; track: LocalVideoTrack; publication: LocalTrackPublication; timer: NodeJS.Timeout } | undefined;
  private speaking = false;
  private frozen = false;
  private phase = 0;
  private readonly tone: Int16Array;

  private constructor(
    readonly room: Room,
    /** The pitch of this bot's voice. */
    readonly toneHz: number,
  ) {
    this.tone = toneSamples(toneHz);
  }

  /** Connects a bot; rejects as the SDK does (a refused token, an unreachable server). */
  static async connect(url: string, token: string, options: BotConnectOptions = {}): Promise<RtcBot> {
    const room = new Room();
    await room.connect(url, token, { autoSubscribe: options.autoSubscribe ?? false, dynacast: false });
    stopLogCapture();
    // Each bot its own pitch, so a listener could tell them apart.
    return new RtcBot(room, 300 + Math.floor(Math.random() * 400));
  }

  get identity(): string {
    return this.room.localParticipant?.identity ?? '';
  }

  get sid(): string {
    return this.room.localParticipant?.sid ?? '';
  }

  /** Publishes the microphone; it plays the tone while `speaking` and is silent otherwise. */
  async publishAudio(options: { speaking?: boolean; dtx?: boolean } = {}): Promise<LocalTrackPublication> {
    if (this.audio) return this.audio.publication;
    const local = this.localParticipant();
    // A short queue, so a bot that starts speaking is heard (and its level seen) at once.
    const source = new AudioSource(SAMPLE_RATE, 1, 200);
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    const publishOptions = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE, dtx: options.dtx ?? true });
    const publication = await local.publishTrack(track, publishOptions);
    this.audio = { source, track, publication, timer: undefined };
    this.speak(options.speaking ?? false);
    return publication;
  }

  /** Starts or stops the tone (the microphone stays published and unmuted). */
  speak(on: boolean): void {
    this.speaking = on;
    const audio = this.audio;
    if (!audio) return;
    if (on && !audio.timer) {
      this.pumpAudio(audio.source);
      audio.timer = setInterval(() => {
        this.pumpAudio(audio.source);
      }, AUDIO_FRAME_MS);
    } else if (!on && audio.timer) {
      clearInterval(audio.timer);
      audio.timer = undefined;
    }
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Publishes a camera showing a moving bar, 320×180 at 10 frames a second unless told otherwise. */
  async publishVideo(options: VideoOptions = {}): Promise<LocalTrackPublication> {
    if (this.video) return this.video.publication;
    const local = this.localParticipant();
    const width = options.width ?? 320;
    const height = options.height ?? 180;
    const fps = options.fps ?? 10;
    const source = new VideoSource(width, height);
    const track = LocalVideoTrack.createVideoTrack('camera', source);
    const publishOptions = new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA, simulcast: options.simulcast ?? false });
    const publication = await local.publishTrack(track, publishOptions);
    const frames = videoPattern(width, height);
    let index = 0;
    const timer = setInterval(() => {
      if (this.frozen) return;
      const data = frames[index++ % frames.length];
      if (data && !source.closed) source.captureFrame(new VideoFrame(data, width, height, VideoBufferType.I420));
    }, Math.round(1000 / fps));
    this.video = { source, track, publication, timer };
    return publication;
  }

  /** Stops (or restarts) feeding the camera: a frozen capture, the track still published and unmuted. */
  freezeVideo(on: boolean): void {
    this.frozen = on;
  }

  /**
   * Mutes or unmutes a published track, as a user's mute button does: the SDK tells the server,
   * which tells the room. (The Node SDK has no method for it yet; its FFI request is the Rust SDK's
   * `LocalTrack::mute`.)
   */
  setMuted(kind: 'audio' | 'video', muted: boolean): void {
    const published = kind === 'audio' ? this.audio : this.video;
    if (!published) throw new Error(`${this.identity} publishes no ${kind}`);
    const request = new FfiRequest({
      message: { case: 'localTrackMute', value: new LocalTrackMuteRequest({ trackHandle: published.track.ffi_handle.handle, mute: muted }) },
    });
    FfiResponse.fromBinary(livekitFfiRequest(request.toBinary()));
  }

  /** Sends `text` on `topic`, reliably, to everyone or to `to`. */
  async send(text: string, topic: string, to: string[] = []): Promise<void> {
    await this.localParticipant().publishData(new TextEncoder().encode(text), { reliable: true, topic, destination_identities: to });
  }

  /** Stops the sources and leaves the room (a clean leave: the others are told at once). */
  async leave(): Promise<void> {
    for (const published of [this.audio, this.video]) {
      if (!published) continue;
      clearInterval(published.timer);
    }
    const audio = this.audio;
    const video = this.video;
    this.audio = undefined;
    this.video = undefined;
    await this.room.disconnect();
    await audio?.track.close();
    await video?.track.close();
  }

  private localParticipant(): NonNullable<Room['localParticipant']> {
    const local = this.room.localParticipant;
    if (!local) throw new Error('the bot is not connected');
    return local;
  }

  private pumpAudio(source: AudioSource): void {
    // Silence is not fed at all: with DTX on, a silent microphone sends next to nothing anyway, and
    // a hundred bots in one process then cost nothing while they listen.
    if (source.closed || !this.speaking) return;
    const frame = AudioFrame.create(SAMPLE_RATE, 1, SAMPLES_PER_FRAME);
    // The tone goes on where the last frame stopped, so it has no clicks.
    for (let i = 0; i < SAMPLES_PER_FRAME; i++) frame.data[i] = this.tone[(this.phase + i) % this.tone.length] ?? 0;
    this.phase = (this.phase + SAMPLES_PER_FRAME) % this.tone.length;
    // A frame the SDK refuses (the room just closed) is not worth a crash.
    source.captureFrame(frame).catch(() => undefined);
  }
}

let logCaptureStopped = false;

/**
 * rtc-node 1.1.0 sets its Rust core up to hand over every log record, trace level included (a
 * dozen records for each WebSocket frame), and then drops them unread; each batch is an event that
 * every connected Room of the process handles in turn. With thirty bots in one process that came to
 * ~800 batches a second and a main thread busy all the time, so timers and the page's answers waited
 * for minutes. Setting the core up again with capture off (its setup replaces the callback and the
 * capture flag) keeps the same event stream, and leaves the logs to RUST_LOG's filter: errors only.
 */
function stopLogCapture(): void {
  if (logCaptureStopped) return;
  const client = (globalThis as { _ffiClientInstance?: { emit(name: 'ffi_event', event: FfiEvent): boolean } })._ffiClientInstance;
  if (!client) return;
  logCaptureStopped = true;
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@livekit/rtc-node'));
  const sdk = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
  livekitInitialize((data) => client.emit('ffi_event', FfiEvent.fromBinary(data)), false, sdk.version);
  // Its JS logger writes at debug level unless NODE_ENV is production (a line per bot joining, in
  // every test's output). The package exports no subpath for it: loaded by file, the same module
  // instance its Room uses.
  const logger = require(join(dist, 'log.cjs')) as { log?: { level: string } };
  if (logger.log) logger.log.level = 'info';
}

/** One second of a sine at `hz`, at a third of full scale: loud enough to count as speech. */
function toneSamples(hz: number): Int16Array {
  const samples = new Int16Array(SAMPLE_RATE);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(11_000 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE));
  return samples;
}

const patterns = new Map<string, Uint8Array[]>();

/** I420 frames of a grey picture with a white bar moving across it. */
function videoPattern(width: number, height: number): Uint8Array[] {
  const key = `${String(width)}x${String(height)}`;
  const cached = patterns.get(key);
  if (cached) return cached;
  const lumaSize = width * height;
  const chromaSize = (width / 2) * (height / 2);
  const frames: Uint8Array[] = [];
  for (let f = 0; f < VIDEO_PATTERN_FRAMES; f++) {
    const data = new Uint8Array(lumaSize + 2 * chromaSize);
    data.fill(90, 0, lumaSize);
    data.fill(128, lumaSize);
    const barWidth = Math.max(4, Math.floor(width / 12));
    const x0 = Math.floor((f / VIDEO_PATTERN_FRAMES) * (width - barWidth));
    for (let y = 0; y < height; y++) data.fill(235, y * width + x0, y * width + x0 + barWidth);
    frames.push(data);
  }
  patterns.set(key, frames);
  return frames;
}
