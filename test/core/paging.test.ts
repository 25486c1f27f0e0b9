import { expect } from '@open-wc/testing';
import { computeGridLayout } from '../../src/core/layout/grid-layout.js';
import { orderParticipants, pageSizeFor, paginate } from '../../src/core/layout/paging.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${String(i)}`);

describe('paging for every meeting size, landscape and portrait', () => {
  const counts = [1, 2, 3, 4, 5, 9, 10, 16, 17, 25, 26, 49, 50, 100, 101];
  const screens = [
    { name: 'landscape desktop', width: 1440, height: 900, pageSize: 25 },
    { name: 'portrait phone', width: 390, height: 844, pageSize: 6 },
  ];
  for (const screen of screens) {
    for (const count of counts) {
      it(`${String(count)} participants on a ${screen.name}`, () => {
        const pageSize = pageSizeFor(screen.width, screen.height);
        expect(pageSize).to.equal(screen.pageSize);
        const everyone = ids(count);
        const expectedPages = Math.ceil(count / pageSize);
        const seen: string[] = [];
        for (let page = 0; page < expectedPages; page++) {
          const slice = paginate(everyone, pageSize, page);
          expect(slice.pageCount).to.equal(expectedPages);
          expect(slice.items.length).to.equal(page < expectedPages - 1 ? pageSize : count - pageSize * (expectedPages - 1));
          seen.push(...slice.items);
          const grid = computeGridLayout(slice.items.length, screen.width, screen.height);
          expect(grid.columns * grid.rows).to.be.at.least(slice.items.length);
          // No grid wastes a whole row or column.
          expect((grid.columns - 1) * grid.rows).to.be.lessThan(slice.items.length);
          expect(grid.columns * (grid.rows - 1)).to.be.lessThan(slice.items.length);
        }
        expect(seen).to.deep.equal(everyone);
        // Out-of-range pages are clamped, not empty.
        expect(paginate(everyone, pageSize, 999).page).to.equal(expectedPages - 1);
        expect(paginate(everyone, pageSize, -3).page).to.equal(0);
      });
    }
  }

  it('refuses a page size that is not a positive whole number', () => {
    expect(() => paginate([], 0, 0)).to.throw(RangeError);
    expect(() => paginate([], 2.5, 0)).to.throw(RangeError);
  });
});

describe('orderParticipants', () => {
  it('keeps the previous order, drops leavers and appends newcomers in join order', () => {
    const order = orderParticipants({ present: ['a', 'b', 'c', 'd'], previous: ['c', 'x', 'a'], pageSize: 25 });
    expect(order).to.deep.equal(['c', 'a', 'b', 'd']);
  });

  it('puts the pinned or local participant first', () => {
    expect(orderParticipants({ present: ['a', 'b', 'me'], previous: ['a', 'b'], pageSize: 25, first: ['me'] })).to.deep.equal(['me', 'a', 'b']);
  });

  it('brings a speaker from page 3 onto page 1 by swapping with page 1 quietest member only', () => {
    const present = ids(20);
    const lastSpokeAt = new Map(present.map((id, i) => [id, 1000 + i]));
    lastSpokeAt.set('p2', 1); // page 1's quietest
    const order = orderParticipants({ present, previous: present, pageSize: 6, first: ['p0'], activeSpeaker: 'p14', lastSpokeAt });
    expect(order.slice(0, 6)).to.deep.equal(['p0', 'p1', 'p14', 'p3', 'p4', 'p5']);
    expect(order[14]).to.equal('p2');
    expect(new Set(order).size).to.equal(20);
  });

  it('does not move a speaker who is already on page 1, so page 1 does not reshuffle', () => {
    const present = ids(10);
    const order = orderParticipants({ present, previous: present, pageSize: 6, activeSpeaker: 'p3' });
    expect(order).to.deep.equal(present);
  });

  // How fast it is belongs to `npm run bench` (the controller under load), not to a timed unit test.
  it('brings a speaker from the last of 10,000 onto page 1 and keeps everyone once', () => {
    const present = ids(10000);
    const order = orderParticipants({ present, previous: present, pageSize: 25, activeSpeaker: 'p9999' });
    expect(order.indexOf('p9999')).to.be.lessThan(25);
    expect(order).to.have.length(10000);
    expect(new Set(order).size).to.equal(10000);
  });
});
