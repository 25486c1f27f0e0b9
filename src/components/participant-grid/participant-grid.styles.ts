import { css } from 'lit';
import { tokens } from '../../internal/tokens.styles.js';

export const participantGridStyles = [
  tokens,
  css`
    :host {
      --_gap: var(--meeting-grid-gap, 8px);
      display: block;
      position: relative;
      min-height: 160px;
      container-type: size;
      container-name: grid;
    }

    .grid-box,
    .stage-layout {
      position: absolute;
      inset: 0;
      padding: var(--_gap);
    }

    .grid-box {
      display: grid;
      place-items: center;
    }

    /* In the strip a paged grid keeps under its tiles (its height is in the element's own sheet). */
    .grid-box.paged ~ .pager {
      bottom: var(--_gap);
    }

    /* The columns and the tile size come from the element's own sheet (fitTiles on the real box);
       flex-wrap centres a last row that is not full, as meeting apps do. */
    .tiles.grid {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      align-content: center;
      gap: var(--_gap);
      width: 100%;
    }

    /* One other person: as large as the box allows. */
    .tiles.one-on-one {
      display: grid;
      place-items: center;
      width: 100%;
      height: 100%;
      container-type: size;
    }

    .tiles.one-on-one > participant-tile {
      width: min(100cqw, 100cqh * 16 / 9);
    }

    .corner {
      position: absolute;
      inset-inline-end: calc(var(--_gap) * 2);
      bottom: calc(var(--_gap) * 2);
      width: clamp(112px, 22cqw, 280px);
      z-index: 1;
    }

    .corner > participant-tile {
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.45);
    }

    /* Speaker view and screen sharing: the stage beside a filmstrip in a landscape box, above it
       in a portrait one. */
    .stage-layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr) var(--meeting-filmstrip-width, 200px);
      gap: var(--_gap);
    }

    .stage-layout.alone {
      grid-template-columns: minmax(0, 1fr);
    }

    @container grid (aspect-ratio < 1) {
      .stage-layout {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: minmax(0, 1fr) var(--meeting-filmstrip-height, 112px);
      }
      .stage-layout.alone {
        grid-template-rows: minmax(0, 1fr);
      }
    }

    .stage {
      display: grid;
      place-items: center;
      min-width: 0;
      min-height: 0;
      container-type: size;
    }

    /* As large as the stage allows at the tile's aspect ratio. */
    .stage > participant-tile {
      width: min(100cqw, 100cqh * 16 / 9);
      --meeting-video-fit: var(--meeting-stage-video-fit, contain);
    }

    /* A shared screen keeps its own shape: the whole stage, letterboxed. */
    .stage.screen > participant-tile {
      width: 100%;
      height: 100%;
      aspect-ratio: auto;
    }

    .filmstrip {
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      min-width: 0;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      scrollbar-width: thin;
    }

    .filmstrip > participant-tile {
      flex: none;
      width: 100%;
    }

    @container grid (aspect-ratio < 1) {
      .filmstrip {
        flex-direction: row;
        overflow-x: auto;
        overflow-y: hidden;
      }
      .filmstrip > participant-tile {
        width: auto;
        height: 100%;
      }
    }

    .pager {
      position: absolute;
      left: 50%;
      bottom: calc(var(--_gap) + 4px);
      translate: -50% 0;
      display: flex;
      gap: 4px;
      align-items: center;
      padding: 2px 6px;
      border-radius: 999px;
      color: #e8eaed;
      background: rgb(32 33 36 / 0.85);
      font-size: 0.875em;
      z-index: 2;
    }

    /* Beside a stage, the page buttons sit in its top corner, clear of the filmstrip. */
    .stage-layout ~ .pager {
      top: calc(var(--_gap) + 8px);
      bottom: auto;
      left: auto;
      right: calc(var(--_gap) + 8px);
      translate: none;
    }

    .pager .icon-button {
      display: grid;
      place-items: center;
      min-width: 36px;
      min-height: 36px;
      padding: 0;
      border-radius: 50%;
      color: inherit;
      background: transparent;
    }

    .pager .icon-button:disabled {
      opacity: 0.4;
    }
  `,
];
