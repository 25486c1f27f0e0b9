import { defineConfig } from 'vite';

// `vite build` makes the CDN bundle: ESM, every dependency inlined, minified. The entry
// (meeting-widget.js) holds the elements and the core; livekit-client is a second chunk beside it,
// which the entry imports relative to its own URL when the lobby is idle or at join. A third-party
// page still needs one <script type="module"> and nothing else.
export default defineConfig({
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: true,
    lib: {
      entry: 'src/cdn.ts',
      formats: ['es'],
      fileName: () => 'meeting-widget.js',
    },
    rollupOptions: {
      output: {
        chunkFileNames: 'meeting-widget-[name]-[hash].js',
        // Vite keeps whitespace and pure annotations in an ES library for bundlers to shake later;
        // this bundle goes to browsers as it is, so it is minified all the way.
        minify: true,
        comments: false,
      },
    },
  },
});
