import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import { computeGridLayout } from '../../core/layout/grid-layout.js';
import { pageSizeFor } from '../../core/layout/paging.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import '../participant-tile/participant-tile.js';
import { participantGridStyles } from './participant-grid.styles.js';

/**
 * @tagname participant-grid
 * @summary The tiles of the current page, as large as the space allows, with page buttons when
 * everyone does not fit. A screen share takes the stage while it lasts.
 *
 * @csspart base - The grid.
 * @csspart tile - Each `<participant-tile>`.
 * @csspart pager - The page buttons.
 *
 * @cssprop [--meeting-grid-gap=8px] - Space between tiles.
 */
export class ParticipantGrid extends MeetingElement {
  static override styles = participantGridStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  @state() private size = { width: 0, height: 0 };

  private readonly meeting = new MeetingStateController(this);
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
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
  }

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

  protected override render() {
    const s = this.meeting.value;
    if (!s) return nothing;
    const sharer = s.participants.find((p) => p.screenShare.trackSid !== undefined && !p.screenShare.muted);
    const tiles = sharer
      ? [{ identity: sharer.identity, source: 'screen_share' as const }, ...s.visible.map((identity) => ({ identity, source: 'camera' as const }))]
      : s.visible.map((identity) => ({ identity, source: 'camera' as const }));
    const gap = 8;
    const layout = computeGridLayout(tiles.length, Math.max(0, this.size.width - 2 * gap), Math.max(0, this.size.height - 2 * gap), { gap });
    const columns = `repeat(${String(Math.max(1, layout.columns))}, ${String(Math.floor(layout.tileWidth))}px)`;
    return html`
      <div class="base" part="base" role="list" aria-label=${this.t('grid.label')} style="grid-template-columns:${columns}">
        ${repeat(
          tiles,
          (t) => `${t.identity}:${t.source}`,
          (t) => html`<participant-tile role="listitem" part="tile" theme=${this.getAttribute('theme') ?? 'auto'} .controller=${this.controller} identity=${t.identity} source=${t.source}></participant-tile>`,
        )}
      </div>
      ${s.pageCount > 1
        ? html`<nav class="pager" part="pager" aria-label=${this.t('grid.pages')}>
            <button @click=${this.previous} ?disabled=${s.page === 0} aria-label=${this.t('grid.previous')}>‹</button>
            <span>${s.page + 1} / ${s.pageCount}</span>
            <button @click=${this.next} ?disabled=${s.page >= s.pageCount - 1} aria-label=${this.t('grid.next')}>›</button>
          </nav>`
        : nothing}
    `;
  }
}
