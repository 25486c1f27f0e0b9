// `npm run new:element meeting-polls`: the folder of a new element as the house style lays it out
// (class, registration, styles), its first browser test, and its export from src/index.ts. What it
// writes compiles, lints and passes as it is; the feature is then written into it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tag = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(tag)) {
  console.error('usage: npm run new:element <tag-name>   (lowercase, with a hyphen, e.g. meeting-polls)');
  process.exit(1);
}
const className = tag
  .split('-')
  .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
  .join('');
const camel = className.charAt(0).toLowerCase() + className.slice(1);
const folder = join(root, 'src/components', tag);
const testFile = join(root, 'test/components', `${tag}.test.ts`);
if (existsSync(folder) || existsSync(testFile)) {
  console.error(`src/components/${tag}/ or test/components/${tag}.test.ts exists already.`);
  process.exit(1);
}

const component = `import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MeetingController } from '../../core/controller/meeting-controller.js';
import { meetingContext } from '../../internal/meeting-context.js';
import { MeetingElement } from '../../internal/meeting-element.js';
import { MeetingSelectController } from '../../internal/meeting-state.js';
import { ${camel}Styles } from './${tag}.styles.js';

/**
 * @tagname ${tag}
 * @summary TODO: what the user sees and does with it, in one or two sentences.
 *
 * @csspart base - The element's frame.
 */
export class ${className} extends MeetingElement {
  static override styles = ${camel}Styles;

  /** The meeting controller; inside \`<meeting-room>\` it comes from the room. */
  @consume({ context: meetingContext, subscribe: true })
  @property({ attribute: false })
  controller: MeetingController | undefined;

  /** The slice of the state this element renders: it updates only when that changes. */
  private readonly view = new MeetingSelectController(this, (s) => s.phase);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('controller')) this.view.follow(this.controller);
  }

  protected override render() {
    if (this.view.value === undefined) return nothing;
    return html\`<section class="base" part="base"></section>\`;
  }
}
`;

const registration = `import { defineElement } from '../../internal/define.js';
import { ${className} } from './${tag}.component.js';

export * from './${tag}.component.js';

defineElement('${tag}', ${className});

declare global {
  interface HTMLElementTagNameMap {
    '${tag}': ${className};
  }
}
`;

const styles = `import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const ${camel}Styles = [
  tokens,
  css\`
    :host {
      display: block;
      color: var(--_fg);
    }
  \`,
];
`;

const test = `import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/${tag}/${tag}.js';
import type { ${className} } from '../../src/components/${tag}/${tag}.component.js';
import { MeetingApiClient } from '../../src/core/api/meeting-api-client.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';

describe('<${tag}>', () => {
  it('renders its frame once it has a controller, and is accessible', async () => {
    const controller = new MeetingController({ api: new MeetingApiClient({ baseUrl: 'http://127.0.0.1:9' }), meetingId: 'm' });
    try {
      const el = await fixture<${className}>(html\`<${tag}></${tag}>\`);
      expect(el.shadowRoot?.querySelector('[part~="base"]')).to.equal(null);
      el.controller = controller;
      await el.updateComplete;
      expect(el.shadowRoot?.querySelector('[part~="base"]')).to.not.equal(null);
      await expect(el).to.be.accessible();
    } finally {
      await controller.dispose();
    }
  });
});
`;

mkdirSync(folder);
writeFileSync(join(folder, `${tag}.component.ts`), component);
writeFileSync(join(folder, `${tag}.ts`), registration);
writeFileSync(join(folder, `${tag}.styles.ts`), styles);
writeFileSync(testFile, test);

const indexFile = join(root, 'src/index.ts');
const index = readFileSync(indexFile, 'utf8');
const line = `export * from './components/${tag}/${tag}.js';\n`;
const lastElement = index.lastIndexOf("export * from './components/");
const at = index.indexOf('\n', lastElement) + 1;
writeFileSync(indexFile, index.slice(0, at) + line + index.slice(at));

console.log(`wrote src/components/${tag}/ (${tag}.component.ts, ${tag}.ts, ${tag}.styles.ts) and test/components/${tag}.test.ts; exported it from src/index.ts.
next: write the feature into it, then \`npm run analyze\` for custom-elements.json, and
WTR_FILES=test/components/${tag}.test.ts npm run test:browser`);
