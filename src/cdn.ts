// Entry of the single-file CDN bundle: everything, dependencies included, and all elements registered.
export * from './index.js';
