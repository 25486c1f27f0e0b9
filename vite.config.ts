import { defineConfig } from 'vite';

// `vite build` makes the single-file CDN bundle: ESM, every dependency inlined, minified, so a
// third-party page needs one <script type="module"> and nothing else.
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
      output: { codeSplitting: false },
    },
  },
});
