import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
// Set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' still allows.
import { styleMap } from 'lit/directives/style-map.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { MeetingState } from '../../core/controller/state.js';
import { computeGridLayout } from '../../core/layout/grid-layout.js';
import { pageSizeFor } from '../../core/layout/paging.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import '../participant-tile/participant-tile.js';
import type { TileSource } from '../participant-tile/participant-tile.component.js';
import { participantGridStyles } from './participant-grid.styles.js';

const TILE_INNER_PARTS = ['base', 'video', 'avatar', 'label', 'muted', 'hand', 'role', 'quality', 'pin', 'reaction'];
/** The tile's parts, renamed so that a page can style them from outside the grid. */
const TILE_PARTS = TILE_INNER_PARTS.map((p) => `${p}: tile-${p}`).join(', ');
/** The names under which the grid exports its tiles' parts (`tile-label`, ...), for elements that export them further. */
export const GRID_TILE_PARTS: readonly string[] = TILE_INNER_PARTS.map((p) => `tile-${p}`);

/**
 * @tagname participant-grid
 * @summary The tiles of the current page, as large as the space allows, with page buttons when
 * everyone does not fit (Page Up / Page Down turn pages while focus is in the grid). In speaker
 * view one participant takes the stage (the pinned one, else whoever speaks) above a filmstrip of
 * the others; a screen share takes the stage while it lasts, in any layout.
 *
 * @csspart base - The grid, or the stage-and-filmstrip layout.
 * @csspart stage - The large area of speaker view and screen sharing.
 * @csspart filmstrip - The strip of the other tiles under the stage.
 * @csspart tile - Each `<participant-tile>`; its inner parts are exported with a `tile-` prefix
 * (`tile-label`, `tile-video`, `tile-avatar`, ...), so a page styles them through the grid.
 * @csspart pager - The page buttons.
 *
 * @cssprop [--meeting-grid-gap=8px] - Space between tiles.
 * @cssprop [--meeting-filmstrip-height=120px] - Height of the filmstrip in speaker view.
 * @cssprop [--meeting-stage-video-fit=contain] - `object-fit` of the video on the stage.
 */
export class ParticipantGrid extends MeetingElement {
  static override styles = participantGridStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  @state() private size = { width: 0, height: 0 };

  private readonly meeting = new MeetingStateController(this);
  /** Who was on the stage last: they stay there through silences instead of flipping away. */
  private featured: string | undefined;
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
    if (changed.has('controller')) this.meeting.follow(this.controller);
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

  private tile(t: { identity: string; source: TileSource }) {
    return html`<participant-tile role="listitem" part="tile" exportparts=${TILE_PARTS} theme=${this.getAttribute('theme') ?? 'auto'} .controller=${this.controller} identity=${t.identity} source=${t.source}></participant-tile>`;
  }

  private renderStage(s: MeetingState, stage: { identity: string; source: TileSource }) {
    const strip = s.visible.filter((identity) => stage.source !== 'camera' || identity !== stage.identity).map((identity) => ({ identity, source: 'camera' as const }));
    return html`
      <div class="stage-layout ${strip.length === 0 ? 'alone' : ''}" part="base">
        <div class="stage" part="stage" role="list" aria-label=${this.t('grid.stage')}>${this.tile(stage)}</div>
        ${strip.length > 0
          ? html`<div class="filmstrip" part="filmstrip" role="list" aria-label=${this.t('grid.label')}>
              ${repeat(strip, (t) => `${t.identity}:${t.source}`, (t) => this.tile(t))}
            </div>`
          : nothing}
      </div>
      ${this.renderPager(s)}
    `;
  }

  private renderPager(s: MeetingState) {
    return s.pageCount > 1
      ? html`<nav class="pager" part="pager" aria-label=${this.t('grid.pages')}>
          <button @click=${this.previous} ?disabled=${s.page === 0} aria-label=${this.t('grid.previous')}>‹</button>
          <span>${s.page + 1} / ${s.pageCount}</span>
          <button @click=${this.next} ?disabled=${s.page >= s.pageCount - 1} aria-label=${this.t('grid.next')}>›</button>
        </nav>`
      : nothing;
  }

  protected override render() {
    const s = this.meeting.value;
    if (!s) return nothing;
    const sharer = s.participants.find((p) => p.screenShare.trackSid !== undefined && !p.screenShare.muted);
    if (sharer) return this.renderStage(s, { identity: sharer.identity, source: 'screen_share' });
    if (s.layout !== 'grid') {
      const featured = this.pickFeatured(s);
      if (featured !== undefined) return this.renderStage(s, { identity: featured, source: 'camera' });
    }
    const tiles = s.visible.map((identity) => ({ identity, source: 'camera' as const }));
    const gap = 8;
    const layout = computeGridLayout(tiles.length, Math.max(0, this.size.width - 2 * gap), Math.max(0, this.size.height - 2 * gap), { gap });
    const columns = `repeat(${String(Math.max(1, layout.columns))}, ${String(Math.floor(layout.tileWidth))}px)`;
    return html`
      <div class="base" part="base" role="list" aria-label=${this.t('grid.label')} style=${styleMap({ gridTemplateColumns: columns })}>
        ${repeat(
          tiles,
          (t) => `${t.identity}:${t.source}`,
          (t) => this.tile(t),
        )}
      </div>
      ${this.renderPager(s)}
    `;
  }
}
