// Local media and devices: the lobby's camera preview and microphone meter (plain getUserMedia, so
// the lobby needs no livekit-client), the device lists, the microphone / camera / screen toggles, and
// what the user wants on, kept across rejoins so a call comes back as the user left it.
import type { Room, Track } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';
import { preloadLiveKit } from '../controller/livekit.js';
import type { DeviceInfo, DeviceKind, MediaToggle, TrackSourceName } from '../controller/state.js';
import { watchMicLevel } from '../media/mic-level.js';

/** What LiveKit's own capture asks for, so a preview published as is matches a track LiveKit opens. */
const AUDIO_DEFAULTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
const VIDEO_DEFAULTS: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const DEVICE_KINDS: readonly DeviceKind[] = ['audioinput', 'videoinput', 'audiooutput'];

type ToggleKey = 'microphone' | 'camera' | 'screenShare';

export interface LocalMediaUnit {
  /** Opens camera and microphone for the lobby; a refusal is recorded in state and thrown typed. */
  preview(options?: { audio?: boolean; video?: boolean }): Promise<void>;
  setSource(source: TrackSourceName, enabled: boolean): Promise<void>;
  selectDevice(kind: DeviceKind, deviceId: string): Promise<void>;
  setMirror(mirror: boolean): void;
  /** Shows the lobby preview of `source` in `element`; undefined when there is none. */
  attachPreview(source: TrackSourceName, element: HTMLMediaElement): (() => void) | undefined;
  /**
   * Publishes into a newly connected room: the lobby's tracks, or what the user had on before.
   * `moved`: the user came from another room of the meeting (a breakout room), so the policy's
   * mute on entry does not apply: it is not an entry.
   */
  publish(room: Room, lk: LiveKit, options?: { moved?: boolean }): Promise<void>;
  /** Reads the toggles from what is actually published; `settle` also clears the pending flags. */
  syncToggles(settle?: boolean): void;
  /** Stops the lobby's tracks and meter. */
  release(): void;
  dispose(): void;
  readonly trackCount: number;
}

/** Undefined outside a secure browser context (and in Node), where there are no devices. */
function mediaDevices(): MediaDevices | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
}

export function setupLocalMedia(ctx: CoreContext): LocalMediaUnit {
  let tracks: MediaStreamTrack[] = [];
  let stopMeter: (() => void) | undefined;
  /** Elements showing a preview, so a device switch can swap the track under them. */
  const shown = new Set<{ stream: MediaStream; kind: string }>();
  /** What the user wants on, and on which device: what a rejoin restores. */
  const wanted = { microphone: false, camera: false };
  const inUse: Partial<Record<DeviceKind, string>> = {};

  const local = () => ctx.state.local;
  const trackOf = (kind: 'audio' | 'video') => tracks.find((t) => t.kind === kind);
  const constraintsFor = (kind: 'audioinput' | 'videoinput'): MediaTrackConstraints => {
    const deviceId = local().selected[kind];
    const defaults = kind === 'audioinput' ? AUDIO_DEFAULTS : VIDEO_DEFAULTS;
    return deviceId ? { ...defaults, deviceId: { exact: deviceId } } : defaults;
  };

  const meter = (track: MediaStreamTrack | undefined): void => {
    stopMeter?.();
    stopMeter = track ? watchMicLevel(track, (level) => { ctx.patchLocal({ micLevel: level }); }) : undefined;
  };

  const readDevices = async (): Promise<void> => {
    const devices = mediaDevices();
    if (!devices) return;
    const list = await devices.enumerateDevices().catch(() => []);
    const byKind = (kind: DeviceKind): DeviceInfo[] => list.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label, kind }));
    ctx.patchLocal({ devices: { audioinput: byKind('audioinput'), videoinput: byKind('videoinput'), audiooutput: byKind('audiooutput') } });
  };

  const devices = mediaDevices();
  const onDeviceChange = (): void => {
    void readDevices();
  };
  devices?.addEventListener('devicechange', onDeviceChange);

  const release = (): void => {
    stopMeter?.();
    stopMeter = undefined;
    for (const track of tracks) track.stop();
    tracks = [];
  };

  const preview = async (options: { audio?: boolean; video?: boolean } = {}): Promise<void> => {
    ctx.assertUsable();
    const audio = options.audio ?? true;
    const video = options.video ?? true;
    // The lobby is showing: fetch the call's code while the user gets ready.
    preloadLiveKit();
    if (ctx.state.phase === 'idle') ctx.setPhase('lobby');
    release();
    ctx.patchLocal({ microphone: { enabled: false, pending: audio }, camera: { enabled: false, pending: video } });
    wanted.microphone = audio;
    wanted.camera = video;
    // Both off by choice: nothing to open, and nothing has failed. The lists fill in once a device is on.
    if (!audio && !video) {
      await readDevices();
      return;
    }
    try {
      const stream = await getUserMedia({ audio: audio ? constraintsFor('audioinput') : false, video: video ? constraintsFor('videoinput') : false });
      tracks = stream.getTracks();
    } catch (error) {
      const name = (error as Error).name;
      const denied = name === 'NotAllowedError';
      const failure = denied
        ? new MeetingError('PERMISSION_DENIED', 'Camera and microphone access was refused.')
        : new MeetingError('DEVICE_UNAVAILABLE', `Camera or microphone could not start: ${(error as Error).message}`, undefined, undefined, { reason: name });
      const permissions = local().permissions;
      wanted.microphone = false;
      wanted.camera = false;
      ctx.patchLocal({
        microphone: { enabled: false, pending: false },
        camera: { enabled: false, pending: false },
        permissions: denied ? { microphone: audio ? 'denied' : permissions.microphone, camera: video ? 'denied' : permissions.camera } : permissions,
      });
      throw ctx.fail(failure, false);
    }
    const mic = trackOf('audio');
    const cam = trackOf('video');
    meter(mic);
    wanted.microphone = mic !== undefined;
    wanted.camera = cam !== undefined;
    ctx.patchLocal({
      microphone: { enabled: mic !== undefined, pending: false },
      camera: { enabled: cam !== undefined, pending: false },
      permissions: { microphone: mic ? 'granted' : local().permissions.microphone, camera: cam ? 'granted' : local().permissions.camera },
    });
    await readDevices();
  };

  /** Replaces the preview track of `kind` with one from the newly selected device, under every element showing it. */
  const reopen = async (kind: 'audioinput' | 'videoinput'): Promise<void> => {
    const trackKind = kind === 'audioinput' ? 'audio' : 'video';
    const old = trackOf(trackKind);
    if (!old) return;
    const stream = await getUserMedia(kind === 'audioinput' ? { audio: constraintsFor(kind) } : { video: constraintsFor(kind) });
    const fresh = stream.getTracks()[0];
    if (!fresh) return;
    old.stop();
    tracks = tracks.map((t) => (t === old ? fresh : t));
    for (const entry of shown) {
      if (entry.kind !== trackKind) continue;
      entry.stream.removeTrack(old);
      entry.stream.addTrack(fresh);
    }
    if (trackKind === 'audio') meter(fresh);
  };

  const syncToggles = (settle = true): void => {
    const room = ctx.link.room;
    const lk = ctx.link.lk;
    if (!room || !lk) return;
    const participant = room.localParticipant;
    const current = local();
    const toggle = (source: Track.Source, was: MediaToggle): MediaToggle => {
      const publication = participant.getTrackPublication(source);
      const enabled = publication !== undefined && !publication.isMuted;
      const pending = settle ? false : was.pending;
      return enabled === was.enabled && pending === was.pending ? was : { enabled, pending };
    };
    const microphone = toggle(lk.Track.Source.Microphone, current.microphone);
    const camera = toggle(lk.Track.Source.Camera, current.camera);
    const screenShare = toggle(lk.Track.Source.ScreenShare, current.screenShare);
    // Only a settled, connected room says what the user wants: a room being torn down unpublishes everything.
    if (room.state === lk.ConnectionState.Connected && !microphone.pending && !camera.pending) {
      wanted.microphone = microphone.enabled;
      wanted.camera = camera.enabled;
      for (const [source, kind] of [[lk.Track.Source.Microphone, 'audioinput'], [lk.Track.Source.Camera, 'videoinput']] as const) {
        const deviceId = participant.getTrackPublication(source)?.track?.mediaStreamTrack.getSettings().deviceId;
        if (deviceId) inUse[kind] = deviceId;
      }
    }
    ctx.patchLocal({ microphone, camera, screenShare });
  };

  const publish = async (room: Room, lk: LiveKit, options: { moved?: boolean } = {}): Promise<void> => {
    const state = ctx.state;
    const muteOnEntry = options.moved !== true && state.meeting?.policy.muteOnEntry === true && state.role === 'attendee';
    const lobby = tracks;
    tracks = [];
    stopMeter?.();
    stopMeter = undefined;
    const attempt = async (run: () => Promise<unknown>): Promise<void> => {
      try {
        await run();
      } catch (error) {
        ctx.fail(new MeetingError('PUBLISH_FAILED', (error as Error).message), false);
      }
    };
    if (lobby.length > 0) {
      for (const track of lobby) {
        if (track.kind === 'audio' && muteOnEntry) {
          track.stop();
          continue;
        }
        const constraints = { ...(track.kind === 'audio' ? AUDIO_DEFAULTS : VIDEO_DEFAULTS), deviceId: track.getSettings().deviceId };
        // Handed over as LiveKit-managed tracks: muting the camera releases it, unmuting opens it again.
        const wrapped =
          track.kind === 'audio'
            ? { local: new lk.LocalAudioTrack(track, constraints, false), source: lk.Track.Source.Microphone }
            : { local: new lk.LocalVideoTrack(track, constraints, false), source: lk.Track.Source.Camera };
        await attempt(async () => {
          try {
            await room.localParticipant.publishTrack(wrapped.local, { source: wrapped.source });
          } catch (error) {
            wrapped.local.stop();
            throw error;
          }
        });
      }
    } else {
      // No lobby this time (a rejoin, or "join again"): turn back on what the user had on.
      const device = (kind: 'audioinput' | 'videoinput') => {
        const deviceId = local().selected[kind] ?? inUse[kind];
        return deviceId ? { deviceId } : undefined;
      };
      if (wanted.microphone && !muteOnEntry) await attempt(() => room.localParticipant.setMicrophoneEnabled(true, device('audioinput')));
      if (wanted.camera) await attempt(() => room.localParticipant.setCameraEnabled(true, device('videoinput')));
    }
    const speaker = local().selected.audiooutput;
    if (speaker) await room.switchActiveDevice('audiooutput', speaker).catch(() => undefined);
    syncToggles();
  };

  const setSource = async (source: TrackSourceName, enabled: boolean): Promise<void> => {
    const key: ToggleKey = source === 'microphone' ? 'microphone' : source === 'camera' ? 'camera' : 'screenShare';
    ctx.patchLocal({ [key]: { enabled: local()[key].enabled, pending: true } });
    try {
      const room = ctx.link.room;
      if (room) {
        const participant = room.localParticipant;
        const kind = source === 'microphone' ? 'audioinput' : 'videoinput';
        const deviceId = local().selected[kind];
        const options = enabled && deviceId ? { deviceId } : undefined;
        if (source === 'microphone') await participant.setMicrophoneEnabled(enabled, options);
        else if (source === 'camera') await participant.setCameraEnabled(enabled, options);
        else await participant.setScreenShareEnabled(enabled);
        syncToggles();
        ctx.scheduleRefresh();
        return;
      }
      if (source === 'screen_share') throw new MeetingError('NOT_CONNECTED', 'Screen sharing starts once you are in the meeting.');
      // In the lobby: reopen the preview with the new choice.
      const audio = source === 'microphone' ? enabled : local().microphone.enabled;
      const video = source === 'camera' ? enabled : local().camera.enabled;
      await preview({ audio, video });
    } finally {
      ctx.patchLocal({ [key]: { enabled: local()[key].enabled, pending: false } });
    }
  };

  return {
    preview,
    setSource,
    syncToggles,
    publish,
    release,
    async selectDevice(kind, deviceId) {
      if (!DEVICE_KINDS.includes(kind)) throw new MeetingError(MeetingError.INVALID_ARGUMENT, `Unknown device kind "${kind}".`, undefined, undefined, { field: 'kind' });
      if (!local().devices[kind].some((d) => d.deviceId === deviceId)) {
        throw new MeetingError(MeetingError.INVALID_ARGUMENT, `No ${kind} device with id "${deviceId}".`, undefined, undefined, { field: 'deviceId' });
      }
      ctx.patchLocal({ selected: { ...local().selected, [kind]: deviceId } });
      const room = ctx.link.room;
      if (room) {
        await room.switchActiveDevice(kind, deviceId);
        return;
      }
      if (kind !== 'audiooutput') await reopen(kind);
    },
    setMirror(mirror) {
      ctx.patchLocal({ mirror });
    },
    attachPreview(source, element) {
      if (source === 'screen_share') return undefined;
      const kind = source === 'microphone' ? 'audio' : 'video';
      const track = trackOf(kind);
      if (!track) return undefined;
      const stream = new MediaStream([track]);
      const entry = { stream, kind };
      shown.add(entry);
      element.autoplay = true;
      element.muted = true;
      if (element instanceof HTMLVideoElement) element.playsInline = true;
      element.srcObject = stream;
      return () => {
        shown.delete(entry);
        if (element.srcObject === stream) element.srcObject = null;
      };
    },
    dispose() {
      release();
      shown.clear();
      devices?.removeEventListener('devicechange', onDeviceChange);
    },
    get trackCount() {
      return tracks.length;
    },
  };
}

function getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const devices = mediaDevices();
  if (!devices) return Promise.reject(new DOMException('No media devices in this context.', 'NotFoundError'));
  return devices.getUserMedia(constraints);
}
