// Bundle budget: min and gzip size of the CDN bundle's entry (what a page loads to render the room
// and the lobby), of the chunks it loads on demand (the call view, livekit-client, the card, the
// French catalogue), of everything together, of our own code alone (the same entry with lit and
// livekit-client left out; all its chunks, and the entry's share), and of <meeting-card> built on its
// own. Prints figures; it is a report, not a test.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

export interface BundleRow {
  name: string;
  min: number;
  gzip: number;
  budget?: number;
}

export async function measureBundles(): Promise<BundleRow[]> {
  const cdnDir = join(root, 'dist/cdn');
  const entryFile = join(cdnDir, 'meeting-widget.js');
  if (!existsSync(entryFile)) throw new Error('dist/cdn/meeting-widget.js is missing: run npm run build first');
  const entry = sizes(entryFile);
  const chunks = scripts(cdnDir)
    .filter((name) => name !== 'meeting-widget.js')
    .map((name) => ({ name, ...sizes(join(cdnDir, name)) }));
  const own = await buildAlone('src/cdn.ts', [/^lit($|\/)/, /^@lit\//, /^livekit-client($|\/)/, /^@livekit\//], (dir, files) => ({
    all: sum(files.map((name) => sizes(join(dir, name)))),
    entry: sizes(join(dir, 'alone.js')),
  }));
  const card = await measureCardAlone();
  return [
    { name: 'CDN entry (renders the room and the lobby)', ...entry, budget: ENTRY_BUDGET_GZIP },
    ...chunks.map((chunk) => ({ name: `  on demand: ${chunk.name}`, min: chunk.min, gzip: chunk.gzip })),
    { name: 'CDN bundle (everything)', ...sum([entry, ...chunks]), budget: TOTAL_BUDGET_GZIP },
    { name: 'own code (no lit, no livekit-client)', ...own.all, budget: OWN_CODE_BUDGET_GZIP },
    { name: '  of which in the entry', ...own.entry },
    { name: '<meeting-card> alone, page in English (lit included)', ...card.page, budget: CARD_BUDGET_GZIP },
    // The same budget for a page in French: it loads the card's part of the French catalogue.
    { name: '<meeting-card> alone, page in French (+ its strings)', ...sum([card.page, card.languages]), budget: CARD_BUDGET_GZIP },
  ];
}

/** The rows as `npm run bench` prints them. */
export function formatBundleRows(rows: BundleRow[]): string[] {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return rows.map((row) => {
    const budget = row.budget === undefined ? '' : `  (budget ${kb(row.budget)} gzip: ${row.gzip <= row.budget ? 'within' : 'OVER'})`;
    return `  ${row.name.padEnd(64)} min ${kb(row.min).padStart(9)}  gzip ${kb(row.gzip).padStart(9)}${budget}`;
  });
}

/**
 * The card built on its own, every dependency inlined: what a page that shows cards (and no call)
 * loads, `page` (the entry and what it imports), and what it fetches only when a card speaks French,
 * `languages` (the card's catalogue chunk and what that imports beyond the page). Fails if
 * livekit-client found its way in, since the card must never pull the call along.
 */
export function measureCardAlone(): Promise<{ page: Size; languages: Size }> {
  return buildAlone('src/components/meeting-card/meeting-card.ts', [], (dir, files) => {
    const text = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
    if (/livekit-client|RTCPeerConnection/.test(text)) throw new Error('<meeting-card> alone pulls in livekit-client or WebRTC code');
    const french = files.find((name) => /^fr-card-[\w-]+\.js$/.test(name));
    if (!french) throw new Error(`<meeting-card> alone has no French card chunk among ${files.join(', ')}`);
    const page = staticClosure(dir, 'alone.js');
    const languages = [...staticClosure(dir, french)].filter((name) => !page.has(name));
    const measured = (list: Iterable<string>) => sum([...list].map((name) => sizes(join(dir, name))));
    return { page: measured(page), languages: measured(languages) };
  });
}

/** `start` and every chunk it imports statically, transitively (a dynamic import() is fetched only on demand). */
function staticClosure(dir: string, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const match of readFileSync(join(dir, name), 'utf8').matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) {
      if (match[1]) visit(match[1]);
    }
  };
  visit(start);
  return seen;
}

// `npx tsx scripts/bench/bundle-size.ts`: the sizes only (after `npm run build`), without the rest of the bench.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of formatBundleRows(await measureBundles())) console.log(line);
}
