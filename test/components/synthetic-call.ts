// Calls of many people for the layout tests and screenshots, over the synthetic room (the Room
// events and shapes of livekit-client; see participant-grid.test.ts for why): nine real people
// cannot join on this machine. Cameras are off unless a test gives someone a picture.
import { RoomEvent, Track } from 'livekit-client';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import type { Role } from '../../src/core/api/types.js';
import { SyntheticRoom, syntheticMeetingApi } from '../../scripts/bench/controller-page/synthetic-room.js';

export const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Pauling', 'Hedy Lamarr', 'Tim Berners-Lee', 'Margaret Hamilton', 'Claude Shannon', 'Barbara Liskov', 'Dennis Ritchie'];

interface Publication {
  trackSid: string;
  source: Track.Source;
  kind: Track.Kind;
  isMuted: boolean;
  isSubscribed: boolean;
  isDesired: boolean;
  track: unknown;
  setSubscribed(on: boolean): void;
}
interface Participant {
  identity: string;
  name: string;
  attributes: Record<string, string>;
  trackPublications: Map<string, Publication>;
}

export interface SyntheticCall {
  controller: MeetingController;
  room: SyntheticRoom;
  participant(identity: string): Participant;
}

/** A call of `people` (the local user included), joined as `role`, everyone's camera off; `meeting` adds fields to the meeting the server answers. */
export async function syntheticCall(people: number, role: Role = 'host', localName = 'Ada Lovelace', meeting: Record<string, unknown> = {}): Promise<SyntheticCall> {
  const room = new SyntheticRoom(people - 1);
  const all = [room.localParticipant, ...room.remoteParticipants.values()] as unknown as Participant[];
  all.forEach((p, i) => {
    p.name = i === 0 ? localName : (NAMES[i] ?? `Person ${String(i)}`);
    for (const publication of p.trackPublications.values()) if (publication.source === Track.Source.Camera) publication.isMuted = true;
  });
  room.localParticipant.attributes = { role };
  const controller = new MeetingController({ api: syntheticMeetingApi(role, meeting), meetingId: 'm', roomFactory: () => room.asRoom() });
  await controller.join({ displayName: localName });
  return {
    controller,
    room,
    participant: (identity) => (identity === 'local' ? room.localParticipant : room.remoteParticipants.get(identity)) as unknown as Participant,
  };
}

/** A still "slide" as a video track: what a shared screen shows, without motion. */
function slideStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 1600;
  canvas.height = 900;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, 1600, 900);
  g.fillStyle = '#1a73e8';
  g.fillRect(0, 0, 1600, 140);
  g.fillStyle = '#ffffff';
  g.font = '600 64px "Noto Sans", sans-serif';
  g.fillText('Quarterly review', 80, 95);
  g.fillStyle = '#202124';
  g.font = '40px "Noto Sans", sans-serif';
  ['Revenue up 12 %', 'Two new regions', 'Hiring: 4 engineers'].forEach((line, i) => g.fillText(`•  ${line}`, 100, 260 + i * 80));
  const bars = [220, 320, 280, 420, 520];
  bars.forEach((h, i) => {
    g.fillStyle = i === bars.length - 1 ? '#1a73e8' : '#8ab4f8';
    g.fillRect(900 + i * 120, 800 - h, 80, h);
  });
  return canvas.captureStream(1);
}

/** `identity` starts sharing a screen (a still slide), as the room announces a new track. */
export function shareScreen(call: SyntheticCall, identity: string): void {
  const participant = call.participant(identity);
  const stream = slideStream();
  const sid = `TR_${identity}_screen`;
  const publication: Publication = {
    trackSid: sid,
    source: Track.Source.ScreenShare,
    kind: Track.Kind.Video,
    isMuted: false,
    isSubscribed: true,
    isDesired: true,
    track: {
      attach: (element: HTMLMediaElement) => {
        element.srcObject = stream;
        return element;
      },
      detach: (element: HTMLMediaElement) => {
        element.srcObject = null;
        return element;
      },
    },
    setSubscribed(on: boolean) {
      this.isDesired = on;
      this.isSubscribed = on;
    },
  };
  participant.trackPublications.set(sid, publication);
  call.room.emit(RoomEvent.TrackPublished, publication, participant);
}

/** Raises `identity`'s hand, as the room reports an attribute change. */
export function raiseHand(call: SyntheticCall, identity: string, at: number): void {
  const participant = call.participant(identity);
  participant.attributes = { ...participant.attributes, hand: String(at) };
  call.room.emit(RoomEvent.ParticipantAttributesChanged, {}, participant);
}
