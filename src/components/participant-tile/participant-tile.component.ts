import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { ParticipantView } from '../../core/controller/state.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { participantTileStyles } from './participant-tile.styles.js';

export type TileSource = 'camera' | 'screen_share';

/**
 * @tagname participant-tile
 * @summary One participant's video (or their initials when the camera is off), name and status.
 *
 * @csspart base - The tile's frame; outlined while the participant speaks.
 * @csspart video - The video element.
 * @csspart avatar - The initials shown when there is no video.
 * @csspart label - The name line.
 * @csspart muted - The muted-microphone badge.
 * @csspart hand - The raised-hand badge.
 * @csspart role - The host or co-host badge.
 * @csspart quality - The connection-quality bars.
 * @csspart pin - The button that pins the participant (keeps them first and, in speaker view, large).
 * @csspart reaction - The latest reaction, shown for a few seconds.
 *
 * @slot overlay - Content laid over the tile (a host page's own badge or button).
 *
 * @cssprop [--meeting-tile-background=#3a3f4b] - Tile background behind the video or initials.
 * @cssprop [--meeting-tile-radius=12px] - Corner radius of the tile.
 * @cssprop [--meeting-tile-aspect-ratio=16 / 9] - Shape of the tile.
 * @cssprop [--meeting-speaking-color=#3ddc84] - Outline of a speaking participant.
 * @cssprop [--meeting-video-fit=cover] - `object-fit` of the video (`contain` to avoid cropping).
 * @cssprop [--meeting-quality-good-color=#3ddc84] - Filled bars of a good connection.
 * @cssprop [--meeting-quality-poor-color=#ffb020] - Filled bars of a poor connection.
 *
 * Custom states for styling from outside: `participant-tile:state(speaking)`, `:state(muted)`,
 * `:state(hand-raised)`, `:state(pinned)`, `:state(local)`.
 */
export class ParticipantTile extends MeetingElement {
  static override styles = participantTileStyles;

  /** The meeting controller; inside `<meeting-room>` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /** Identity of the participant shown. */
  @property({ reflect: true }) identity = '';

  /** Which video to show: `camera` or `screen_share`. */
  @property({ reflect: true }) source: TileSource = 'camera';

  /** Reflects whether the participant is speaking, for styling from outside. */
  @property({ type: Boolean, reflect: true }) speaking = false;

  private readonly meeting = new MeetingStateController(this);
  private readonly internals = this.attachInternals();
  /** What the last render showed: a state change that leaves it alone costs no render. */
  private shown: { participant: ParticipantView | undefined; pinned: boolean; reaction: string | undefined; mirror: boolean } | undefined;
  private detach: (() => void) | undefined;
  private attachedSid: string | undefined;

  get participant(): ParticipantView | undefined {
    return this.meeting.value?.participants.find((p) => p.identity === this.identity);
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (changed.size > 0 || this.shown === undefined) return true;
    const participant = this.participant;
    const pinned = participant !== undefined && this.meeting.value?.pinned === participant.identity;
    return (
      participant !== this.shown.participant ||
      pinned !== this.shown.pinned ||
      this.latestReaction()?.id !== this.shown.reaction ||
      this.mirrored(participant) !== this.shown.mirror
    );
  }

  /** The newest reaction of this participant still on screen (the core drops them after a while). */
  private latestReaction() {
    const reactions = this.meeting.value?.reactions ?? [];
    for (let i = reactions.length - 1; i >= 0; i--) if (reactions[i]?.identity === this.identity) return reactions[i];
    return undefined;
  }

  /** Only the user's own camera, and only on their own screen, is shown mirrored. */
  private mirrored(participant: ParticipantView | undefined): boolean {
    return participant?.isLocal === true && this.source === 'camera' && this.meeting.value?.local.mirror === true;
  }

  private readonly togglePin = (): void => {
    const pinned = this.meeting.value?.pinned === this.identity;
    this.controller?.pin(pinned ? undefined : this.identity);
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.meeting.follow(this.controller);
    const p = this.participant;
    const speaking = p?.speaking ?? false;
    if (speaking !== this.speaking) this.speaking = speaking;
    this.setState('speaking', speaking);
    this.setState('muted', p?.microphone.muted ?? false);
    this.setState('hand-raised', p?.handRaised ?? false);
    this.setState('pinned', p !== undefined && this.meeting.value?.pinned === p.identity);
    this.setState('local', p?.isLocal ?? false);
    this.shown = { participant: p, pinned: p !== undefined && this.meeting.value?.pinned === p.identity, reaction: this.latestReaction()?.id, mirror: this.mirrored(p) };
  }

  private setState(name: string, on: boolean): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    if (on) states.add(name);
    else states.delete(name);
  }

  protected override updated(): void {
    const participant = this.participant;
    const ref = participant ? (this.source === 'camera' ? participant.camera : participant.screenShare) : undefined;
    const wanted = ref && ref.trackSid && !ref.muted && ref.subscribed ? ref.trackSid : undefined;
    if (wanted === this.attachedSid) return;
    this.detach?.();
    this.detach = undefined;
    this.attachedSid = wanted;
    const video = this.renderRoot.querySelector('video');
    if (wanted && video && this.controller) this.detach = this.controller.attach(this.identity, this.source, video);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach?.();
    this.detach = undefined;
    this.attachedSid = undefined;
  }

  protected override render() {
    const p = this.participant;
    if (!p) return nothing;
    const ref = this.source === 'camera' ? p.camera : p.screenShare;
    const hasVideo = ref.trackSid !== undefined && !ref.muted && ref.subscribed;
    const label = p.isLocal ? this.t('tile.you', { name: p.name }) : p.name;
    const pinned = this.meeting.value?.pinned === p.identity;
    const reaction = this.latestReaction();
    const bars = QUALITY_BARS[p.connectionQuality];
    return html`
      <figure class="base" part="base" aria-label=${label}>
        <video part="video" class=${this.mirrored(p) ? 'mirrored' : ''} ?hidden=${!hasVideo} autoplay playsinline muted></video>
        ${hasVideo ? nothing : html`<span class="avatar" part="avatar" aria-hidden="true">${initials(p.name)}</span>`}
        ${reaction ? html`<span class="reaction" part="reaction" role="img" aria-label=${reaction.emoji}>${reaction.emoji}</span>` : nothing}
        <slot name="overlay"></slot>
        ${this.source === 'camera'
          ? html`<button class="pin" part="pin" aria-pressed=${String(pinned)} aria-label=${this.t(pinned ? 'tile.unpin' : 'tile.pin', { name: p.name })} title=${this.t(pinned ? 'tile.unpin' : 'tile.pin', { name: p.name })} @click=${this.togglePin}><span aria-hidden="true">📌</span></button>`
          : nothing}
        <figcaption class="label" part="label">
          ${p.microphone.muted ? html`<span class="badge" part="muted" role="img" aria-label=${this.t('tile.micOff')}>🔇</span>` : nothing}
          ${p.handRaised ? html`<span class="badge" part="hand" role="img" aria-label=${this.t('tile.hand')}>✋</span>` : nothing}
          <span class="name">${label}</span>
          ${p.role === 'attendee' ? nothing : html`<span class="role" part="role">${this.t(p.role === 'host' ? 'tile.host' : 'tile.coHost')}</span>`}
          ${bars === undefined
            ? nothing
            : html`<span class="quality ${p.connectionQuality}" part="quality" role="img" aria-label=${this.t(`tile.quality.${p.connectionQuality}`)}>
                ${[1, 2, 3].map((n) => html`<i class=${n <= bars ? 'on' : ''}></i>`)}
              </span>`}
        </figcaption>
      </figure>
    `;
  }
}

/** Bars lit per quality; unknown quality shows no bars rather than a guess. */
const QUALITY_BARS: Partial<Record<ParticipantView['connectionQuality'], number>> = { excellent: 3, good: 2, poor: 1, lost: 0 };

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  // By grapheme, so an accented or emoji first letter stays whole.
  const segmenter = new Intl.Segmenter();
  const first = (word: string | undefined) => (word ? (segmenter.segment(word)[Symbol.iterator]().next().value?.segment ?? '') : '');
  return letters.map((w) => first(w).toUpperCase()).join('') || '?';
}
