import minifyTemplateLiterals from 'rollup-plugin-minify-template-literals';
import { defineConfig } from 'vite';
import { livekitFromSources } from './scripts/livekit-from-sources.js';

// `vite build` makes the CDN bundle: ESM, every dependency inlined, minified. The entry
// (meeting-widget.js) holds the room, the lobby and the core; the call's view and elements and
// livekit-client are two chunks beside it, which the entry imports relative to its own URL when the
// page is idle or at join. A third-party page still needs one <script type="module"> and nothing else.

/**
 * The elements' styles are css`` template literals, which the JavaScript minifier keeps as written;
 * this minifies the CSS inside them. html`` templates are left as they are (collapsing their
 * whitespace saves little once gzipped, and can change what a template shows).
 */
export function minifyStyles() {
  return minifyTemplateLiterals({ include: ['src/**/*.ts'], exclude: ['src/internal/palette.styles.ts'], failOnError: true, options: { shouldMinify: () => false } });
}

export default defineConfig({
  plugins: [minifyStyles(), livekitFromSources()],
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
      // The entry may export more than the library does: code the on-demand chunks share with the
      // entry stays in it (imported from it), instead of going into a third file loaded with it.
      preserveEntrySignatures: 'allow-extension',
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
