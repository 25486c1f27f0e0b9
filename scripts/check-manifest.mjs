// Fails when custom-elements.json no longer matches what the analyzer makes from the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
// The analyzer resolves --outdir against the working directory, so the scratch folder lives here.
const out = mkdtempSync(join(root, '.cem-check-'));
// The analyzer also points package.json's `customElements` at its output folder: put it back after.
const packageJson = readFileSync(join(root, 'package.json'), 'utf8');
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--litelement', '--globs', 'src/components/**/*.component.ts', '--outdir', basename(out), '--quiet'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The analyzer reads the files concurrently, so the order of its modules varies from run to run
  // (seen under load): compare them in path order.
  const read = (file) => {
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.modules.sort((a, b) => a.path.localeCompare(b.path));
    return manifest;
  };
  const fresh = read(join(out, 'custom-elements.json'));
  const committed = read(join(root, 'custom-elements.json'));
  const tags = fresh.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName).filter(Boolean));
  if (!isDeepStrictEqual(fresh, committed)) {
    console.error('custom-elements.json is stale: run `npm run analyze` and commit the result.');
    // Say where they part, so a failure on a clean clone can be understood from the log alone.
    const byPath = (manifest) => new Map(manifest.modules.map((m) => [m.path, m]));
    const freshModules = byPath(fresh);
    const committedModules = byPath(committed);
    for (const path of new Set([...freshModules.keys(), ...committedModules.keys()])) {
      if (!isDeepStrictEqual(freshModules.get(path), committedModules.get(path))) console.error(`  differs: ${path}`);
    }
    if (fresh.schemaVersion !== committed.schemaVersion) console.error(`  schemaVersion ${committed.schemaVersion} → ${fresh.schemaVersion}`);
    process.exit(1);
  }
  console.log(`custom-elements.json is up to date (${tags.length} elements: ${tags.join(', ')}).`);
} finally {
  writeFileSync(join(root, 'package.json'), packageJson);
  rmSync(out, { recursive: true, force: true });
}
