import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import type { ParticipantView } from '../../core/controller/state.js';
import { icon, reactionIcon, type IconName } from '../../internal/icons.js';
import { media } from '../../internal/media.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingStateController } from '../../internal/meeting-state.js';
import { participantTileStyles } from './participant-tile.styles.js';

export type TileSource = 'camera' | 'screen_share';

/** What the last render showed: a state change that leaves all of it alone costs no render. */
interface Shown {
  participant: ParticipantView | undefined;
  pinned: boolean;
  reaction: string | undefined;
  mirror: boolean;
  hand: number;
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

  private readonly meeting = new MeetingStateController(this);
  private readonly internals = this.attachInternals();
  private shown: Shown | undefined;

  get participant(): ParticipantView | undefined {
    return this.meeting.value?.participants.find((p) => p.identity === this.identity);
  }

  private current(): Shown {
    const participant = this.participant;
    return {
      participant,
      pinned: participant !== undefined && this.meeting.value?.pinned === participant.identity,
      reaction: this.latestReaction()?.id,
      mirror: this.mirrored(participant),
      hand: (this.meeting.value?.hands.indexOf(this.identity) ?? -1) + 1,
    };
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (changed.size > 0 || this.shown === undefined) return true;
    const now = this.current();
    const was = this.shown;
    return now.participant !== was.participant || now.pinned !== was.pinned || now.reaction !== was.reaction || now.mirror !== was.mirror || now.hand !== was.hand;
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
    this.shown = this.current();
    const p = this.shown.participant;
    const speaking = p?.speaking ?? false;
    if (speaking !== this.speaking) this.speaking = speaking;
    this.setState('speaking', speaking);
    this.setState('muted', p?.microphone.muted ?? false);
    this.setState('hand-raised', p?.handRaised ?? false);
    this.setState('pinned', this.shown.pinned);
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
    const { participant: p, pinned, mirror, hand } = this.shown ?? this.current();
    if (!p) return nothing;
    const track = this.videoSid(p);
    const label = p.isLocal ? this.t('tile.you', { name: p.name }) : p.name;
    const reaction = this.latestReaction();
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
