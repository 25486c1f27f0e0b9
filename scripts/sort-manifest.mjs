// The analyzer reads the components concurrently, so custom-elements.json came out in a different
// module order from run to run and every regeneration rewrote the whole file. Sorted by path, a
// change to one element changes only its part. (check-manifest.mjs compares in the same order.)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../custom-elements.json', import.meta.url));
const manifest = JSON.parse(readFileSync(file, 'utf8'));
manifest.modules.sort((a, b) => a.path.localeCompare(b.path));
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
