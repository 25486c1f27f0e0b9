// Paging and subscriptions: the tile order (stable across speaker changes), the page on screen, the
// pinned person and the layout; and the subscriptions that follow them: audio and screen shares from
// everyone, cameras only for the tiles on the current page.
import type { Room } from 'livekit-client';
import { MeetingError } from '../api/meeting-error.js';
import type { CoreContext } from '../controller/context.js';
import type { LiveKit } from '../controller/livekit.js';
import type { LayoutMode, MeetingState, ParticipantView } from '../controller/state.js';
import { orderParticipants, paginate } from '../layout/paging.js';

const LAYOUTS: readonly LayoutMode[] = ['grid', 'speaker', 'spotlight'];

export type Arrangement = Pick<MeetingState, 'participants' | 'page' | 'pageCount' | 'visible' | 'pinned'>;

export interface PagingUnit {
  pin(identity: string | undefined): void;
  setLayout(layout: LayoutMode): void;
  setPage(page: number): void;
  setPageSize(pageSize: number): void;
  /** Orders `views` into tiles and pages; `views` holds the local participant under `localIdentity`. */
  arrange(views: Map<string, ParticipantView>, localIdentity: string, speakers: readonly string[], lastSpokeAt: ReadonlyMap<string, number>): Arrangement;
  syncSubscriptions(room: Room, lk: LiveKit): void;
  reset(): void;
}

export function setupPaging(ctx: CoreContext): PagingUnit {
  let order: string[] = [];

  /** A bad argument is recorded, not thrown: these are called from render code and key handlers. */
  const refuse = (message: string, field: string): void => {
    ctx.fail(new MeetingError(MeetingError.INVALID_ARGUMENT, message, undefined, undefined, { field }), false);
  };
  // At once, so the same notification carries the new page.
  const rearrange = (): void => {
    ctx.onRefresh();
  };

  return {
    pin(identity) {
      if (identity !== undefined && !ctx.state.participants.some((p) => p.identity === identity)) {
        refuse(`Nobody with identity "${identity}" is here.`, 'identity');
        return;
      }
      ctx.patch({ pinned: identity });
      rearrange();
    },
    setLayout(layout) {
      if (!LAYOUTS.includes(layout)) {
        refuse(`Unknown layout "${layout}".`, 'layout');
        return;
      }
      ctx.patch({ layout });
      rearrange();
    },
    setPage(page) {
      if (!Number.isInteger(page) || page < 0) {
        refuse('A page number is a whole number from 0.', 'page');
        return;
      }
      ctx.patch({ page });
      rearrange();
    },
    setPageSize(pageSize) {
      if (!Number.isInteger(pageSize) || pageSize < 1) {
        refuse('A page size is a whole number from 1.', 'pageSize');
        return;
      }
      ctx.patch({ pageSize });
      rearrange();
    },
    arrange(views, localIdentity, speakers, lastSpokeAt) {
      const state = ctx.state;
      const present = [...views.values()].sort((a, b) => a.joinedAt - b.joinedAt).map((v) => v.identity);
      const pinned = state.pinned && views.has(state.pinned) ? state.pinned : undefined;
      order = orderParticipants({
        present,
        previous: order,
        pageSize: state.pageSize,
        first: [pinned ?? localIdentity],
        activeSpeaker: speakers.find((id) => id !== localIdentity),
        lastSpokeAt,
      });
      const participants = order.map((id) => views.get(id)).filter((v): v is ParticipantView => v !== undefined);
      const page = paginate(order, state.pageSize, state.page);
      // Unchanged lists keep their objects, so selectors on them stay quiet.
      return {
        participants: sameItems(participants, state.participants) ? state.participants : participants,
        page: page.page,
        pageCount: page.pageCount,
        visible: sameItems(page.items, state.visible) ? state.visible : page.items,
        pinned,
      };
    },
    syncSubscriptions(room, lk) {
      const visible = new Set(ctx.state.visible);
      const pinned = ctx.state.pinned;
      for (const participant of room.remoteParticipants.values()) {
        for (const publication of participant.trackPublications.values()) {
          const wanted =
            publication.kind === lk.Track.Kind.Audio ||
            publication.source === lk.Track.Source.ScreenShare ||
            visible.has(participant.identity) ||
            participant.identity === pinned;
          // Compared with what was asked, not with what arrived: a subscription is requested once and
          // stays unarrived until the server's answer and the track come, and every refresh in
          // between (a busy room has many) would ask again; each ask is a signal message, and a
          // page joining 25 people sent 240 in two seconds and was closed by the server's rate limit.
          if (publication.isDesired !== wanted) publication.setSubscribed(wanted);
        }
      }
    },
    reset() {
      order = [];
    },
  };
}

export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => Object.is(item, b[i]));
}
