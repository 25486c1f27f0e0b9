// Bundle budget: min and gzip size of the CDN bundle's entry (what a page loads to render the room
// and the lobby), of the chunks it loads on demand (the call view, livekit-client), of everything together, and of
// our own code alone (the same entry with lit and livekit-client left out). Prints figures; it is a
// report, not a test.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { minifyStyles } from '../../vite.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const KB = 1024;
const ENTRY_BUDGET_GZIP = 45 * KB;
const TOTAL_BUDGET_GZIP = 190 * KB;
const OWN_CODE_BUDGET_GZIP = 40 * KB;
/** `<meeting-card>` on its own (a chat page with cards and no call yet): Lit, the card, its feed, the strings. */
const CARD_BUDGET_GZIP = 20 * KB;

interface Size {
  min: number;
  gzip: number;
}

function sizes(file: string): Size {
  const bytes = readFileSync(file);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

function sum(list: Size[]): Size {
  return list.reduce((total, s) => ({ min: total.min + s.min, gzip: total.gzip + s.gzip }), { min: 0, gzip: 0 });
}

function scripts(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.js'));
}

/**
 * Builds `entry` on its own into a temporary folder (the CDN build's minifying, every dependency
 * inlined but those matching `external`) and hands `measure` the folder and its scripts.
 */
async function buildAlone<T>(entry: string, external: RegExp[], measure: (dir: string, files: string[]) => T): Promise<T> {
  const out = mkdtempSync(join(tmpdir(), 'bundle-alone-'));
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [minifyStyles()],
      build: {
        outDir: out,
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        lib: { entry: join(root, entry), formats: ['es'], fileName: () => 'alone.js' },
        rollupOptions: {
          external,
          preserveEntrySignatures: 'allow-extension',
          output: { minify: true, comments: false },
        },
      },
    });
    return measure(out, scripts(out));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function measureBundles(): Promise<Array<{ name: string; min: number; gzip: number; budget?: number }>> {
  const cdnDir = join(root, 'dist/cdn');
  const entryFile = join(cdnDir, 'meeting-widget.js');
  if (!existsSync(entryFile)) throw new Error('dist/cdn/meeting-widget.js is missing: run npm run build first');
  const entry = sizes(entryFile);
  const chunks = scripts(cdnDir)
    .filter((name) => name !== 'meeting-widget.js')
    .map((name) => ({ name, ...sizes(join(cdnDir, name)) }));
  const own = await buildAlone('src/cdn.ts', [/^lit($|\/)/, /^@lit\//, /^livekit-client($|\/)/, /^@livekit\//], (dir, files) => sum(files.map((name) => sizes(join(dir, name)))));
  const card = await measureCardAlone();
  return [
    { name: 'CDN entry (renders the room and the lobby)', ...entry, budget: ENTRY_BUDGET_GZIP },
    ...chunks.map((chunk) => ({ name: `  on demand: ${chunk.name}`, min: chunk.min, gzip: chunk.gzip })),
    { name: 'CDN bundle (everything)', ...sum([entry, ...chunks]), budget: TOTAL_BUDGET_GZIP },
    { name: 'own code (no lit, no livekit-client)', ...own, budget: OWN_CODE_BUDGET_GZIP },
    { name: '<meeting-card> alone (lit included, no livekit-client)', ...card, budget: CARD_BUDGET_GZIP },
  ];
}

/**
 * The card built on its own, every dependency inlined: what a page that shows cards (and no call)
 * loads. Fails if livekit-client found its way in, since the card must never pull the call along.
 */
export function measureCardAlone(): Promise<Size> {
  return buildAlone('src/components/meeting-card/meeting-card.ts', [], (dir, files) => {
    const text = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
    if (/livekit-client|RTCPeerConnection/.test(text)) throw new Error('<meeting-card> alone pulls in livekit-client or WebRTC code');
    return sum(files.map((name) => sizes(join(dir, name))));
  });
}
