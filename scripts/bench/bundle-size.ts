// Bundle budget: min and gzip size of the CDN bundle, and of our own code alone (the same entry
// with lit and livekit-client left out). Prints figures; it is a report, not a test.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const OWN_CODE_BUDGET_GZIP = 40 * 1024;

function sizes(file: string): { min: number; gzip: number } {
  const bytes = readFileSync(file);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export async function measureBundles(): Promise<Array<{ name: string; min: number; gzip: number; budget?: number }>> {
  const cdnFile = join(root, 'dist/cdn/meeting-widget.js');
  if (!existsSync(cdnFile)) throw new Error('dist/cdn/meeting-widget.js is missing: run npm run build first');

  const out = mkdtempSync(join(tmpdir(), 'own-code-'));
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir: out,
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        lib: { entry: join(root, 'src/cdn.ts'), formats: ['es'], fileName: () => 'own.js' },
        rollupOptions: { external: [/^lit($|\/)/, /^@lit\//, /^livekit-client($|\/)/, /^@livekit\//] },
      },
    });
    return [
      { name: 'CDN bundle (everything)', ...sizes(cdnFile) },
      { name: 'own code (no lit, no livekit-client)', ...sizes(join(out, 'own.js')), budget: OWN_CODE_BUDGET_GZIP },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
