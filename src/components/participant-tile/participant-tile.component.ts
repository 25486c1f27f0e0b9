import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { ParticipantView } from '../../core/controller/state.js';
import { icon, reactionIcon, type IconName } from '../../internal/icons.js';
import { media } from '../../internal/media.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import type { MeetingState, Reaction } from '../../core/controller/state.js';
import { shallowEqual } from '../../core/controller/store.js';
import { MeetingSelectController } from '../../internal/meeting-state.js';
import { participantTileStyles } from './participant-tile.styles.js';

export type TileSource = 'camera' | 'screen_share';

/**
 * The slice of the meeting a tile shows: its participant's view (an unchanged participant keeps
 * the same object) and the few things about them held elsewhere in the state. Someone else's
 * change leaves every field as it was, so the tile is not even asked to update.
 */
interface TileSlice {
  participant: ParticipantView | undefined;
  pinned: boolean;
  /** The newest reaction of this participant still on screen (the core drops them after a while). */
  reaction: Reaction | undefined;
  mirror: boolean;
  /** The hand's place in the queue (1 for the first hand up), 0 when down. */
  hand: number;
}

function sliceOf(s: MeetingState, identity: string, source: TileSource): TileSlice {
  const participant = s.participants.find((p) => p.identity === identity);
  let reaction: Reaction | undefined;
  for (let i = s.reactions.length - 1; i >= 0 && reaction === undefined; i--) if (s.reactions[i]?.identity === identity) reaction = s.reactions[i];
  return {
    participant,
    pinned: participant !== undefined && s.pinned === identity,
    reaction,
    // Only the user's own camera, and only on their own screen, is shown mirrored.
    mirror: participant?.isLocal === true && source === 'camera' && s.local.mirror,
    hand: s.hands.indexOf(identity) + 1,
  };
}

/**
 * @tagname participant-tile
 * @summary One participant's video (or their initials on a coloured disc when the camera is off),
 * with their name, a crossed microphone when muted, a connection-quality icon, the raised hand with
 * its place in the queue, and a pin button shown on hover and keyboard focus.
 *
 * @csspart base - The tile's frame; outlined while the participant speaks.
 * @csspart video - The video element.
 * @csspart avatar - The initials shown when there is no video (their colour follows the identity).
 * @csspart label - The name line.
 * @csspart muted - The muted-microphone icon in the name line.
 * @csspart hand - The raised-hand badge, with the hand's order ("2" for the second hand up).
 * @csspart role - The host or co-host badge.
 * @csspart quality - The connection-quality icon.
 * @csspart pin - The button that pins the participant (keeps them first and, in speaker view, large).
 * @csspart reaction - The latest reaction, shown for a few seconds.
 *
 * @slot overlay - Content laid over the tile (a host page's own badge or button).
 *
 * @cssprop [--meeting-tile-background=#3c4043] - Tile background behind the video or initials.
 * @cssprop [--meeting-tile-radius=12px] - Corner radius of the tile.
 * @cssprop [--meeting-tile-aspect-ratio=16 / 9] - Shape of the tile.
 * @cssprop [--meeting-speaking-color=#8ab4f8] - Outline of a speaking participant.
 * @cssprop [--meeting-video-fit=cover] - `object-fit` of the video (`contain` to avoid cropping).
 * @cssprop [--meeting-quality-good-color=#81c995] - Icon of a good connection.
 * @cssprop [--meeting-quality-poor-color=#fdd663] - Icon of a poor connection.
 * @cssprop [--meeting-hand-color=#fdd663] - Background of the raised-hand badge.
 *
 * Custom states for styling from outside: `participant-tile:state(speaking)`, `:state(muted)`,
 * `:state(hand-raised)`, `:state(pinned)`, `:state(local)`, `:state(video-off)`.
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

  private readonly view = new MeetingSelectController<TileSlice>(this, (s) => sliceOf(s, this.identity, this.source), shallowEqual);
  private readonly internals = this.attachInternals();

  get participant(): ParticipantView | undefined {
    return this.view.value?.participant;
  }

  private readonly togglePin = (): void => {
    this.controller?.pin(this.view.value?.pinned === true ? undefined : this.identity);
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.view.follow(this.controller);
    else if (changed.has('identity') || changed.has('source')) this.view.reselect();
    const shown = this.view.value;
    const p = shown?.participant;
    const speaking = p?.speaking ?? false;
    if (speaking !== this.speaking) this.speaking = speaking;
    this.setState('speaking', speaking);
    this.setState('muted', p?.microphone.muted ?? false);
    this.setState('hand-raised', p?.handRaised ?? false);
    this.setState('pinned', shown?.pinned ?? false);
    this.setState('local', p?.isLocal ?? false);
    this.setState('video-off', this.videoSid(p) === undefined);
  }

  private setState(name: string, on: boolean): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    if (on) states.add(name);
    else states.delete(name);
  }

  /** The track to show, when there is one playing. */
  private videoSid(p: ParticipantView | undefined): string | undefined {
    const ref = p ? (this.source === 'camera' ? p.camera : p.screenShare) : undefined;
    return ref?.trackSid && !ref.muted && ref.subscribed ? ref.trackSid : undefined;
  }

  protected override render() {
    const shown = this.view.value;
    const p = shown?.participant;
    if (!shown || !p) return nothing;
    const { pinned, mirror, hand, reaction } = shown;
    const track = this.videoSid(p);
    const label = p.isLocal ? this.t('tile.you', { name: p.name }) : p.name;
    const quality = QUALITY_ICONS[p.connectionQuality];
    const screen = this.source === 'screen_share';
    return html`
      <figure class="base ${screen ? 'screen' : ''}" part="base" aria-label=${screen ? this.t('tile.screenOf', { name: p.name }) : label}>
        <video part="video" class=${mirror ? 'mirrored' : ''} ?hidden=${track === undefined} autoplay playsinline muted ${media({ controller: this.controller, identity: p.identity, source: this.source, track })}></video>
        ${track === undefined ? html`<span class="avatar hue-${String(hueOf(p.identity))}" part="avatar" aria-hidden="true">${initials(p.name)}</span>` : nothing}
        ${hand > 0 && !screen
          ? html`<span class="hand" part="hand" role="img" aria-label=${this.t('tile.handOrder', { order: hand })}>${icon('hand')}<span aria-hidden="true">${hand}</span></span>`
          : nothing}
        ${reaction && !screen ? html`<span class="reaction" part="reaction" role="img" aria-label=${reaction.emoji}>${reactionIcon(reaction.emoji) ?? reaction.emoji}</span>` : nothing}
        <slot name="overlay"></slot>
        ${screen
          ? nothing
          : html`<button class="pin" part="pin" aria-pressed=${String(pinned)} aria-label=${this.t(pinned ? 'tile.unpin' : 'tile.pin', { name: p.name })} title=${this.t(pinned ? 'tile.unpin' : 'tile.pin', { name: p.name })} @click=${this.togglePin}>
              ${icon(pinned ? 'unpin' : 'pin')}
            </button>`}
        <figcaption class="label" part="label">
          ${p.microphone.muted && !screen ? html`<span class="muted" part="muted" role="img" aria-label=${this.t('tile.micOff')}>${icon('micOff')}</span>` : nothing}
          ${screen ? icon('share') : nothing}
          <span class="name">${screen ? this.t('tile.screenOf', { name: p.name }) : label}</span>
          ${p.role === 'attendee' || screen ? nothing : html`<span class="role" part="role">${this.t(p.role === 'host' ? 'tile.host' : 'tile.coHost')}</span>`}
          ${quality === undefined || screen
            ? nothing
            : html`<span class="quality ${p.connectionQuality}" part="quality" role="img" aria-label=${this.t(`tile.quality.${p.connectionQuality}`)}>${icon(quality)}</span>`}
        </figcaption>
      </figure>
    `;
  }
}

/** One icon per quality; unknown quality shows none rather than a guess. */
const QUALITY_ICONS: Partial<Record<ParticipantView['connectionQuality'], IconName>> = {
  excellent: 'qualityExcellent',
  good: 'qualityGood',
  poor: 'qualityPoor',
  lost: 'qualityLost',
};

/** Avatar colours: eight hues picked for white text at 4.5:1, chosen by the identity so a person keeps theirs. */
export const AVATAR_HUES = 8;
function hueOf(identity: string): number {
  let hash = 0;
  for (let i = 0; i < identity.length; i++) hash = (hash * 31 + identity.charCodeAt(i)) | 0;
  return Math.abs(hash) % AVATAR_HUES;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  // By grapheme, so an accented or emoji first letter stays whole.
  const segmenter = new Intl.Segmenter();
  const first = (word: string | undefined) => (word ? (segmenter.segment(word)[Symbol.iterator]().next().value?.segment ?? '') : '');
  return letters.map((w) => first(w).toUpperCase()).join('') || '?';
}
