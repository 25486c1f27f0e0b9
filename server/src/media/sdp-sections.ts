// Just enough SDP reading to learn, per media section, what the client declared: its mid, kind,
// direction and the track id in its msid (livekit-client uses the track's cid there).

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface MediaSection {
  mid: string;
  kind: 'audio' | 'video' | 'application';
  direction: Direction;
  port: number;
  /** The track id half of `a=msid:<stream> <track>`, when present. */
  trackId: string | undefined;
  rids: string[];
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function readMediaSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  let current: MediaSection | undefined;
  for (const rawLine of sdp.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('m=')) {
      const [kind = '', port = '0'] = line.slice(2).split(' ');
      current = {
        mid: '',
        kind: kind === 'audio' || kind === 'video' ? kind : 'application',
        direction: 'sendrecv',
        port: Number(port),
        trackId: undefined,
        rids: [],
      };
      sections.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('a=mid:')) current.mid = line.slice(6);
    else if (line.startsWith('a=msid:')) current.trackId = line.slice(7).split(' ')[1];
    else if (line.startsWith('a=rid:')) {
      const [rid, dir] = line.slice(6).split(' ');
      if (rid && dir === 'send') current.rids.push(rid);
    } else if (DIRECTIONS.includes(line.slice(2))) current.direction = line.slice(2) as Direction;
  }
  return sections;
}

export function sends(direction: Direction): boolean {
  return direction === 'sendonly' || direction === 'sendrecv';
}

export function receives(direction: Direction): boolean {
  return direction === 'recvonly' || direction === 'sendrecv';
}

/** Keeps only the ICE candidates `keep` accepts, so a loopback-only server does not advertise others. */
export function filterCandidates(sdp: string, keep: (address: string) => boolean): string {
  return sdp
    .split('\r\n')
    .filter((line) => {
      if (!line.startsWith('a=candidate:')) return true;
      const address = line.split(' ')[4] ?? '';
      return keep(address);
    })
    .join('\r\n');
}
