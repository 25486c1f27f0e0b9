import { expect } from '@open-wc/testing';
import { computeGridLayout } from '../../src/core/layout/grid-layout.js';

describe('computeGridLayout', () => {
  const cases: Array<[count: number, width: number, height: number, columns: number, rows: number]> = [
    [1, 1280, 720, 1, 1],
    [2, 1280, 720, 2, 1],
    [2, 375, 812, 1, 2],
    [4, 1280, 720, 2, 2],
    [5, 1280, 720, 3, 2],
    [9, 1280, 720, 3, 3],
    [10, 1280, 720, 4, 3],
    [16, 1280, 720, 4, 4],
    [25, 1920, 1080, 5, 5],
    // 16:9 tiles on a phone held upright stack in one column: that is where they are largest.
    [6, 375, 812, 1, 6],
    [3, 1280, 360, 3, 1],
    [3, 812, 375, 2, 2],
  ];
  for (const [count, width, height, columns, rows] of cases) {
    it(`puts ${count} tiles in ${width}×${height} as ${columns}×${rows}`, () => {
      const layout = computeGridLayout(count, width, height);
      expect([layout.columns, layout.rows]).to.deep.equal([columns, rows]);
      expect(layout.columns * layout.rows).to.be.at.least(count);
      expect(layout.tileWidth * layout.columns).to.be.at.most(width + 1e-6);
      expect(layout.tileHeight * layout.rows).to.be.at.most(height + 1e-6);
      expect(layout.tileWidth / layout.tileHeight).to.be.closeTo(16 / 9, 1e-9);
    });
  }

  it('uses the requested tile aspect ratio', () => {
    const layout = computeGridLayout(6, 375, 812, { aspectRatio: 3 / 4 });
    expect([layout.columns, layout.rows]).to.deep.equal([2, 3]);
    expect(layout.tileWidth / layout.tileHeight).to.be.closeTo(3 / 4, 1e-9);
  });

  it('leaves room for gaps', () => {
    const layout = computeGridLayout(4, 1000, 600, { gap: 20 });
    expect(layout.tileWidth * 2 + 20).to.be.at.most(1000 + 1e-6);
    expect(layout.tileHeight * 2 + 20).to.be.at.most(600 + 1e-6);
  });

  it('gives an empty layout for no tiles or an empty box', () => {
    expect(computeGridLayout(0, 800, 600)).to.deep.equal({ columns: 0, rows: 0, tileWidth: 0, tileHeight: 0 });
    expect(computeGridLayout(3, 0, 600).tileWidth).to.equal(0);
  });

  it('rejects impossible input', () => {
    expect(() => computeGridLayout(-1, 800, 600)).to.throw(RangeError);
    expect(() => computeGridLayout(1.5, 800, 600)).to.throw(RangeError);
    expect(() => computeGridLayout(2, Number.NaN, 600)).to.throw(RangeError);
    expect(() => computeGridLayout(2, 800, 600, { aspectRatio: 0 })).to.throw(RangeError);
  });
});
