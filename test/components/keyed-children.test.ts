// KeyedChildren in a real DOM: the order it leaves, and how few elements it moves to get there. A
// moved element is disconnected and connected again (its videos pause, its subscriptions restart),
// so the counts below are what a tile would suffer.
import { expect } from '@open-wc/testing';
import { KeyedChildren } from '../../src/internal/keyed-children.js';

/** Counts its own connections: one per insertion into the document, the first included. */
class CountedChild extends HTMLElement {
  connects = 0;
  connectedCallback(): void {
    this.connects++;
  }
}
customElements.define('counted-child', CountedChild);

function setUp() {
  const container = document.createElement('div');
  document.body.append(container);
  const released: string[] = [];
  const created: CountedChild[] = [];
  const children = new KeyedChildren<CountedChild>(
    (key) => {
      const element = new CountedChild();
      element.dataset.key = key;
      created.push(element);
      return element;
    },
    (element) => released.push(element.dataset.key ?? ''),
  );
  const place = (keys: readonly string[], into: Element = container) => children.place(into, keys, () => undefined);
  const order = (of: Element = container) => [...of.children].map((c) => (c as HTMLElement).dataset.key);
  /** How many connections each call of `run` caused, element by element (created ones count once). */
  const movesDuring = (run: () => void): number => {
    const before = new Map(created.map((c) => [c, c.connects]));
    run();
    return created.reduce((sum, c) => sum + (c.connects - (before.get(c) ?? 0)), 0);
  };
  return { container, children, place, order, movesDuring, released, done: () => container.remove() };
}

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${String(i)}`);

describe('KeyedChildren', () => {
  it('a speaker from page 2 replacing one tile on page 1 inserts that tile only', () => {
    const t = setUp();
    const page = keys(25);
    t.place(page);
    const swapped = [...page];
    swapped[3] = 'speaker';
    expect(t.movesDuring(() => t.place(swapped))).to.equal(1);
    expect(t.order()).to.deep.equal(swapped);
    t.done();
  });

  it('two tiles trading places move those two, not the ones between them', () => {
    const t = setUp();
    const page = keys(25);
    t.place(page);
    const traded = [...page];
    [traded[2], traded[20]] = [traded[20]!, traded[2]!];
    expect(t.movesDuring(() => t.place(traded))).to.equal(2);
    expect(t.order()).to.deep.equal(traded);
    t.done();
  });

  it('the same order again moves nothing; appending adds only the new ones', () => {
    const t = setUp();
    t.place(keys(10));
    expect(t.movesDuring(() => t.place(keys(10)))).to.equal(0);
    expect(t.movesDuring(() => t.place(keys(12)))).to.equal(2);
    expect(t.order()).to.deep.equal(keys(12));
    t.done();
  });

  it('leaves any order asked for, removing the unwanted and keeping them known until pruned', () => {
    const t = setUp();
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pool = keys(40);
    for (let round = 0; round < 60; round++) {
      const wanted = pool.filter(() => random() < 0.6).sort(() => random() - 0.5);
      const before = t.order();
      const kept = wanted.filter((k) => before.includes(k)).length;
      const moves = t.movesDuring(() => t.place(wanted));
      expect(t.order(), `round ${String(round)}`).to.deep.equal(wanted);
      // At most every element kept from before moves, plus each new one once.
      expect(moves).to.be.at.most(wanted.length);
      expect(moves).to.be.at.least(wanted.length - kept);
    }
    t.children.prune(new Set(['k1']));
    expect(t.released.length).to.be.greaterThan(0);
    expect(t.released).not.to.include('k1');
    t.done();
  });

  it('moves an element between containers (grid to filmstrip) as the same element', () => {
    const t = setUp();
    const strip = document.createElement('div');
    t.container.after(strip);
    t.place(['a', 'b', 'c']);
    const b = t.children.get('b');
    t.place(['a', 'c']);
    t.place(['b'], strip);
    expect(t.order()).to.deep.equal(['a', 'c']);
    expect(t.order(strip)).to.deep.equal(['b']);
    expect(t.children.get('b')).to.equal(b);
    strip.remove();
    t.done();
  });
});
