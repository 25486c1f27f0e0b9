// `npm run bench`: every performance figure the project tracks. Builds first so sizes are current.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureBundles } from './bench/bundle-size.js';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log('bundle sizes');
for (const row of await measureBundles()) {
  const budget = row.budget === undefined ? '' : `  (budget ${kb(row.budget)} gzip: ${row.gzip <= row.budget ? 'within' : 'OVER'})`;
  console.log(`  ${row.name.padEnd(40)} min ${kb(row.min).padStart(9)}  gzip ${kb(row.gzip).padStart(9)}${budget}`);
}
