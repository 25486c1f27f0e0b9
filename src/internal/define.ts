/**
 * Registers a custom element unless the tag is already taken.
 *
 * Two copies of the widget on one page (a host's own build plus our CDN bundle, say) is a real case
 * for embeds; `customElements.define` would throw on the second copy and break the host page, so we
 * warn and keep the first definition instead.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, ctor);
    return;
  }
  if (existing !== ctor) {
    console.warn(
      `[meeting-widget] <${tag}> is already defined, probably by another copy of meeting-widget on this page; keeping the first definition.`,
    );
  }
}
