// Per-element values that CSS alone cannot compute (the grid's column count and tile size) go into
// one constructed stylesheet adopted by the element's shadow root. A strict Content-Security-Policy
// (`style-src 'self'`) refuses `style` attributes, which Lit's styleMap writes on first render;
// adopted sheets are allowed, and the DOM stays free of inline styles.
import type { ReactiveController, ReactiveElement } from 'lit';

export class InstanceStyle implements ReactiveController {
  private readonly sheet = new CSSStyleSheet();
  private text = '';

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  hostConnected(): void {
    const root = this.host.renderRoot;
    if (root instanceof ShadowRoot && !root.adoptedStyleSheets.includes(this.sheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
    }
  }

  /** Replaces the element's own rules; the same text again costs nothing. */
  set(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.sheet.replaceSync(text);
  }
}
