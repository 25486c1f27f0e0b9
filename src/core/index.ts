/**
 * meeting-widget/core: the framework-agnostic engine of the widget. No DOM element registration and
 * no Lit in here, so an app with its own UI can use it directly.
 */
export { computeGridLayout, type GridLayout, type GridLayoutOptions } from './layout/grid-layout.js';
