import { LitElement } from 'lit';
import type { PhaseReason } from '../core/controller/state.js';
import type { MessageKey } from '../i18n/catalogue.js';
import { errorMessageKey } from '../i18n/error-messages.js';
import { pendingMessages, translate, type CataloguePart } from '../i18n/translate.js';

/**
 * Events the widget fires, by name, with the type of their `detail`. Elements add to this map
 * through declaration merging so `emit()` stays type-checked.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface MeetingEventMap {}

export interface EmitOptions {
  cancelable?: boolean;
}

/** Base class of every meeting-widget element. */
export class MeetingElement extends LitElement {
  /**
   * The language to speak: the nearest `lang` up the tree, across shadow roots, so the parts inside
   * `<meeting-room lang="fr">` speak French too; else the document's.
   */
  protected get language(): string {
    if (this.lang) return this.lang;
    let node: Node | null = this.parentNode;
    while (node) {
      if (node instanceof HTMLElement && node.lang) return node.lang;
      node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
    }
    return document.documentElement.lang || 'en';
  }

  /** What the element's strings need of a catalogue: all of it, unless an element needs less. */
  protected get cataloguePart(): CataloguePart {
    return 'all';
  }

  /**
   * An update waits for the catalogue of the element's language when that is not here yet (French,
   * fetched on first use), so the element renders in its language from the first frame and
   * `updateComplete` resolves once it has; a failed fetch renders English.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- Lit's own signature for this hook
  protected override scheduleUpdate(): void | Promise<unknown> {
    const pending = pendingMessages(this.language, this.cataloguePart);
    if (pending === undefined) return super.scheduleUpdate();
    return pending.then(() => super.scheduleUpdate());
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.language, key, params);
  }

  /**
   * What to tell the user about a failure: the catalogue's text for its code (`error.<CODE>`), with
   * its params. The core's English message is for developers and never shown.
   */
  protected errorText(reason: Pick<PhaseReason, 'code' | 'params'>): string {
    return translate(this.language, errorMessageKey(reason.code), reason.params ? { ...reason.params } : {});
  }

  /**
   * Fires a `meeting-*` event that bubbles out of shadow roots, so a host page can listen on any
   * ancestor. Returns false when a listener called `preventDefault()` on a cancelable event.
   */
  protected emit<K extends Extract<keyof MeetingEventMap, string>>(
    name: K,
    detail: MeetingEventMap[K],
    options: EmitOptions = {},
  ): boolean {
    const event = new CustomEvent(name, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: options.cancelable ?? false,
    });
    return this.dispatchEvent(event);
  }
}
