import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import type { Plugin } from 'vite';

// The CDN bundle builds livekit-client from the TypeScript sources its package ships, not from its
// prebuilt file, for two reasons that together bring the bundle under its budget:
// - the prebuilt file is compiled for ES2015 (async functions as generators, object spread as
//   helpers), which the bundle's ES2022 target does not need: about 6 KB gzip;
// - it inlines webrtc-adapter, which changes nothing livekit-client relies on in the browsers the
//   bundle supports (docs/architecture.md): its shims check the browser's version or the feature
//   first (Chrome before 80, Firefox before 110, ...), or add legacy APIs livekit-client never
//   calls (callbacks, streams), so it is dead weight there: about 13 KB gzip.
// The npm package is not concerned: it imports `livekit-client` as published, and the host's bundler
// decides.

const root = fileURLToPath(new URL('..', import.meta.url));
const packageDir = join(root, 'node_modules', 'livekit-client');
const sourcesDir = join(packageDir, 'src') + sep;
const NO_ADAPTER = '\0meeting-widget:no-webrtc-adapter';

/**
 * LiveKit compiles these sources with `target: ES2015` and no `useDefineForClassFields`, so class
 * fields are assignments in the constructor. Compiled with define semantics (the ES2022 default), a
 * field a subclass only declares would be reset to undefined after its base constructor set it.
 */
const TSCONFIG = { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: false } };

export function livekitFromSources(): Plugin {
  return {
    name: 'meeting-widget:livekit-from-sources',
    enforce: 'pre',
    // The demo's dev server serves livekit-client as published; only the CDN bundle is built this way.
    apply: 'build',
    resolveId(source, importer) {
      if (source === 'livekit-client' && (importer === undefined || !importer.startsWith(sourcesDir))) return join(sourcesDir, 'index.ts');
      if (source === 'webrtc-adapter' && importer?.startsWith(sourcesDir) === true) return NO_ADAPTER;
      return null;
    },
    load(id) {
      return id === NO_ADAPTER ? 'export {};' : null;
    },
    async transform(code, id) {
      if (!id.startsWith(sourcesDir) || !id.endsWith('.ts')) return null;
      const out = await transform(code, { loader: 'ts', target: 'es2022', format: 'esm', sourcemap: 'external', sourcefile: id, tsconfigRaw: TSCONFIG });
      return { code: out.code, map: out.map };
    },
  };
}

