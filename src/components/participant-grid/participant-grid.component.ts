import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { pageSizeFor } from '../../core/layout/paging.js';
import { icon } from '../../internal/icons.js';
import { InstanceStyle } from '../../internal/instance-style.js';
import { KeyedChildren } from '../../internal/keyed-children.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import '../participant-tile/participant-tile.js';
import type { ParticipantTile, TileSource } from '../participant-tile/participant-tile.component.js';
import { participantGridStyles } from './participant-grid.styles.js';
import { fitTiles } from './tile-fit.js';

const TILE_INNER_PARTS = ['base', 'video', 'avatar', 'label', 'muted', 'hand', 'role', 'quality', 'pin', 'reaction'];
/** The tile's parts, renamed so that a page can style them from outside the grid. */
const TILE_PARTS = TILE_INNER_PARTS.map((p) => `${p}: tile-${p}`).join(', ');
/** The names under which the grid exports its tiles' parts (`tile-label`, ...), for elements that export them further. */
export const GRID_TILE_PARTS: readonly string[] = TILE_INNER_PARTS.map((p) => `tile-${p}`);

export type SelfView = 'corner' | 'tile' | 'hidden';
const SELF_VIEWS: readonly SelfView[] = ['corner', 'tile', 'hidden'];

/** What the grid shows this render: which tiles where. */
interface Arrangement {
  mode: 'grid' | 'stage' | 'one-on-one';
  main: string[];
  strip: string[];
  /** The user's own small picture over a 1:1 call (`self-view="corner"`). */
  corner: string | undefined;
}

const keyOf = (identity: string, source: TileSource) => `${identity}\n${source}`;
const parseKey = (key: string): { identity: string; source: TileSource } => {
  const [identity = '', source] = key.split('\n');
  return { identity, source: source === 'screen_share' ? 'screen_share' : 'camera' };
};

/** Height kept under a paged grid for the pager: its 40 px and a gap above it. */
const PAGER_STRIP = 48;

/** The gap in px, from `--meeting-grid-gap` as the page set it (px, rem or em), else 8. */
function gapOf(element: Element): number {
  const probe = getComputedStyle(element).getPropertyValue('--meeting-grid-gap').trim();
  if (probe === '') return 8;
  const value = parseFloat(probe);
  if (!Number.isFinite(value) || value < 0) return 8;
  if (probe.endsWith('rem')) return value * parseFloat(getComputedStyle(document.documentElement).fontSize);
  if (probe.endsWith('em')) return value * parseFloat(getComputedStyle(element).fontSize);
  return value;
}

/**
 * @tagname participant-grid
 * @summary The tiles of the current page, as large as the stage allows (16:9, laid out on the
 * element's real box, two people side by side in a landscape box), with page buttons when everyone
 * does not fit (Page Up / Page Down turn pages while focus is in the grid). In speaker view one
 * participant takes the stage (the pinned one, else whoever speaks) beside a filmstrip of the
 * others that scrolls; a screen share takes the stage while it lasts, in any layout. In a call of
 * two, `self-view` puts the user's own picture in a corner over the other person, or leaves it out.
 *
 * @csspart base - The grid, or the stage-and-filmstrip layout.
 * @csspart stage - The large area of speaker view and screen sharing.
 * @csspart filmstrip - The strip of the other tiles beside (or under) the stage; it scrolls.
 * @csspart self-view - The user's own tile floating in a corner of a 1:1 call.
 * @csspart tile - Each `<participant-tile>`; its inner parts are exported with a `tile-` prefix
 * (`tile-label`, `tile-video`, `tile-avatar`, ...), so a page styles them through the grid.
 * @csspart pager - The page buttons.
 *
 * @cssprop [--meeting-grid-gap=8px] - Space between tiles (and around them); the layout math uses it.
 * @cssprop [--meeting-filmstrip-width=200px] - Width of the filmstrip beside the stage in a landscape box.
 * @cssprop [--meeting-filmstrip-height=112px] - Height of the filmstrip under the stage in a portrait box.
 * @cssprop [--meeting-stage-video-fit=contain] - `object-fit` of the video on the stage.
 */
export class ParticipantGrid extends MeetingElement {
  static override styles = participantGridStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /**
   * The user's own picture in a call of two: `tile` (default, two tiles side by side), `corner`
   * (the other person large, yourself small in a corner) or `hidden` (only the other person).
   */
  @property({ attribute: 'self-view', reflect: true }) selfView: SelfView = 'tile';

  @state() private size = { width: 0, height: 0 };

  private readonly meeting = new MeetingStateController(this);
  private readonly layoutStyle = new InstanceStyle(this);
  private readonly tiles = new KeyedChildren<ParticipantTile>((key) => this.createTile(key));
  /** Who was on the stage last: they stay there through silences instead of flipping away. */
  private featured: string | undefined;
  /** What the last render laid out, for `updated()` to fill in. */
  private arrangement: Arrangement | undefined;
  private frame = 0;
  private readonly resize = new ResizeObserver((entries) => {
    const box = entries[0]?.contentRect;
    if (!box) return;
    // Re-laying out inside the observer's own callback would resize again in the same frame (a
    // "ResizeObserver loop"): apply the new size on the next frame instead.
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      this.size = { width: box.width, height: box.height };
      this.controller?.setPageSize(pageSizeFor(box.width, box.height));
    });
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
    this.addEventListener('keydown', this.onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.removeEventListener('keydown', this.onKeyDown);
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'PageDown') this.next();
    else if (event.key === 'PageUp') this.previous();
    else return;
    event.preventDefault();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) {
      this.meeting.follow(this.controller);
      this.tiles.clear();
    }
    if (changed.has('selfView') && !SELF_VIEWS.includes(this.selfView)) {
      console.warn(`[meeting-widget] <participant-grid> self-view="${this.selfView}" is not one of ${SELF_VIEWS.join(', ')}; using tile.`);
      this.selfView = 'tile';
    }
  }

  private readonly previous = (): void => {
    const s = this.meeting.value;
    if (s) this.controller?.setPage(Math.max(0, s.page - 1));
  };

  private readonly next = (): void => {
    const s = this.meeting.value;
    if (s) this.controller?.setPage(Math.min(s.pageCount - 1, s.page + 1));
  };

  /** The stage's participant in speaker view: pinned, else speaking, else whoever was there. */
  private pickFeatured(s: MeetingState): string | undefined {
    const present = new Set(s.participants.map((p) => p.identity));
    const speaker = s.activeSpeakers.find((id) => id !== s.localIdentity && present.has(id));
    const stays = this.featured !== undefined && present.has(this.featured) ? this.featured : undefined;
    const firstRemote = s.visible.find((id) => id !== s.localIdentity);
    this.featured = s.pinned ?? speaker ?? stays ?? firstRemote ?? s.visible[0];
    return this.featured;
  }

  private arrange(s: MeetingState): Arrangement {
    const sharer = s.participants.find((p) => p.screenShare.trackSid !== undefined && !p.screenShare.muted);
    const cameras = (ids: readonly string[]) => ids.map((id) => keyOf(id, 'camera'));
    if (sharer) return { mode: 'stage', main: [keyOf(sharer.identity, 'screen_share')], strip: cameras(s.visible), corner: undefined };
    if (s.layout !== 'grid') {
      const featured = this.pickFeatured(s);
      if (featured !== undefined) return { mode: 'stage', main: [keyOf(featured, 'camera')], strip: cameras(s.visible.filter((id) => id !== featured)), corner: undefined };
    }
    const local = s.localIdentity;
    if (this.selfView !== 'tile' && s.participants.length === 2 && local !== undefined && s.visible.includes(local)) {
      const other = s.visible.filter((id) => id !== local);
      return { mode: 'one-on-one', main: cameras(other), strip: [], corner: this.selfView === 'corner' ? keyOf(local, 'camera') : undefined };
    }
    return { mode: 'grid', main: cameras(s.visible), strip: [], corner: undefined };
  }

  private createTile(key: string): ParticipantTile {
    const { identity, source } = parseKey(key);
    const tile = document.createElement('participant-tile');
    tile.setAttribute('role', 'listitem');
    tile.setAttribute('part', 'tile');
    tile.setAttribute('exportparts', TILE_PARTS);
    tile.identity = identity;
    tile.source = source;
    return tile;
  }

  /** The grid's tiles are kept by hand (see KeyedChildren): one element per participant and source. */
  protected override updated(): void {
    const root = this.renderRoot;
    const main = root.querySelector('.tiles');
    const arrangement = this.arrangement;
    if (!arrangement || !main) {
      this.tiles.clear();
      return;
    }
    const set = (tile: ParticipantTile) => {
      if (tile.controller !== this.controller) tile.controller = this.controller;
    };
    this.tiles.place(main, arrangement.main, set);
    const strip = root.querySelector('.filmstrip');
    if (strip) this.tiles.place(strip, arrangement.strip, set);
    const corner = root.querySelector('.corner');
    if (corner) this.tiles.place(corner, arrangement.corner ? [arrangement.corner] : [], set);
    this.tiles.prune(new Set([...arrangement.main, ...arrangement.strip, ...(arrangement.corner ? [arrangement.corner] : [])]));
  }

  private renderPager(s: MeetingState) {
    return s.pageCount > 1
      ? html`<nav class="pager" part="pager" aria-label=${this.t('grid.pages')}>
          <button class="icon-button" @click=${this.previous} ?disabled=${s.page === 0} aria-label=${this.t('grid.previous')} title=${this.t('grid.previous')}>${icon('previous')}</button>
          <span>${s.page + 1} / ${s.pageCount}</span>
          <button class="icon-button" @click=${this.next} ?disabled=${s.page >= s.pageCount - 1} aria-label=${this.t('grid.next')} title=${this.t('grid.next')}>${icon('next')}</button>
        </nav>`
      : nothing;
  }

  /** The column count and tile size for the grid, computed on the real box with the page's gap. */
  private layOut(count: number, mode: Arrangement['mode'], paged: boolean): void {
    const gap = gapOf(this);
    const width = Math.max(0, this.size.width - 2 * gap);
    // A grid of several pages keeps a strip under the tiles for the pager, which would otherwise
    // cover the names on the last row.
    const height = Math.max(0, this.size.height - 2 * gap - (paged ? PAGER_STRIP : 0));
    // Tiles are 16:9 where that fills the box; when a row leaves height unused (two people in a
    // 16:9 box) they may grow to 4:3, and to square in a portrait box (a phone), with the video
    // cropped to fit, as meeting apps do.
    const fit = fitTiles(mode === 'grid' ? count : Math.min(count, 1), width, height, gap, 16 / 9, width < height ? 1 : 4 / 3);
    const columns = Math.max(1, fit.columns);
    const tileWidth = Math.floor(fit.tileWidth);
    const tileHeight = Math.floor(fit.tileHeight);
    this.layoutStyle.set(
      `.grid-box.paged{padding-bottom:${String(gap + PAGER_STRIP)}px}` +
        `.tiles.grid{max-width:${String(columns * tileWidth + (columns - 1) * gap)}px}` +
        `.tiles.grid>participant-tile{width:${String(tileWidth)}px;height:${String(tileHeight)}px;aspect-ratio:auto}`,
    );
  }

  protected override render() {
    const s = this.meeting.value;
    this.arrangement = s ? this.arrange(s) : undefined;
    const arrangement = this.arrangement;
    if (!s || !arrangement) return nothing;
    if (arrangement.mode === 'stage') {
      const screen = arrangement.main[0]?.endsWith('\nscreen_share') === true;
      return html`
        <div class="stage-layout ${arrangement.strip.length === 0 ? 'alone' : ''}" part="base">
          <div class="stage tiles ${screen ? 'screen' : ''}" part="stage" role="list" aria-label=${this.t('grid.stage')}></div>
          ${arrangement.strip.length > 0 ? html`<div class="filmstrip" part="filmstrip" role="list" aria-label=${this.t('grid.label')}></div>` : nothing}
        </div>
        ${this.renderPager(s)}
      `;
    }
    const paged = s.pageCount > 1;
    this.layOut(arrangement.main.length, arrangement.mode, paged);
    return html`
      <div class="grid-box ${paged ? 'paged' : ''}" part="base">
        <div class="tiles ${arrangement.mode}" role="list" aria-label=${this.t('grid.label')}></div>
        ${arrangement.corner ? html`<div class="corner" part="self-view" role="list" aria-label=${this.t('grid.self')}></div>` : nothing}
      </div>
      ${this.renderPager(s)}
    `;
  }
}
