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

/**
 * The ICE candidates a client already gave, so that each is handed to werift once. werift pairs a
 * candidate again every time it sees it (in each re-offer's SDP, in a repeated trickle), and its
 * check list, with the connectivity checks of every pair, grew with each renegotiation for as long
 * as the participant stayed. An ICE restart (a new ufrag) starts the set afresh.
 */
export class RemoteCandidates {
  private readonly given = new Set<string>();
  private ufrag: string | undefined;

  /**
   * `sdp` without the candidate lines already given, and a function to call once werift has taken
   * the offer (a candidate counts as given only then).
   */
  filterOffer(sdp: string): { sdp: string; taken: () => void } {
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
    if (ufrag !== this.ufrag) {
      this.given.clear();
      this.ufrag = ufrag;
    }
    const fresh: string[] = [];
    const lines = sdp.split('\r\n').filter((line) => {
      if (!line.startsWith('a=candidate:')) return true;
      const key = candidateKey(line.slice(2));
      if (this.given.has(key) || fresh.includes(key)) return false;
      fresh.push(key);
      return true;
    });
    return {
      sdp: lines.join('\r\n'),
      taken: () => {
        for (const key of fresh) this.given.add(key);
      },
    };
  }

  /** Whether a trickled candidate (`candidate:…`) was given before. */
  has(candidate: string): boolean {
    return this.given.has(candidateKey(candidate));
  }

  taken(candidate: string): void {
    this.given.add(candidateKey(candidate));
  }
}

/** What makes two candidate lines the same candidate: everything before the optional extensions. */
function candidateKey(candidate: string): string {
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr … rport …]
  return candidate.trim().split(/\s+/).slice(0, 8).join(' ').toLowerCase();
}
