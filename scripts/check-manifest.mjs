// Fails when custom-elements.json no longer matches what the analyzer makes from the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    // Not process.exit(): the finally block below must still put package.json back.
    process.exitCode = 1;
  }
  // Every registered element must be documented: a JSDoc block separated from its class (by a
  // constant, say) silently drops the element from the analyzer's output.
  const registered = readdirSync(join(root, 'src/components'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.component.ts') && !file.endsWith('.styles.ts'))
    .flatMap((file) => [...readFileSync(join(root, 'src/components', file), 'utf8').matchAll(/defineElement\('([a-z-]+)'/g)].map((m) => m[1]));
  const undocumented = registered.filter((tag) => !tags.includes(tag));
  if (undocumented.length > 0) {
    console.error(`custom-elements.json lacks registered elements: ${undocumented.join(', ')} (is the @tagname JSDoc right above the class?)`);
    process.exitCode = 1;
  }
  if (process.exitCode !== 1) console.log(`custom-elements.json is up to date (${tags.length} elements: ${tags.join(', ')}).`);
} finally {
  writeFileSync(join(root, 'package.json'), packageJson);
  rmSync(out, { recursive: true, force: true });
}
