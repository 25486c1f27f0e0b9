// `npm run bench`: every performance figure the project tracks. Builds first so sizes are current.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatBundleRows, measureBundles } from './bench/bundle-size.js';
import { benchCdnRender, benchController, benchRender } from './bench/controller.js';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

console.log('bundle sizes');
for (const line of formatBundleRows(await measureBundles())) console.log(line);

const controller = await benchController();
console.log(`core controller, synthetic room of ${String(controller.participants)} participants, in Chromium`);
console.log(`  state updates delivered at 20 speaker changes/s: ${controller.updatesPerSecond.toFixed(1)} per second`);
console.log(`  time per update (event → listener): median ${controller.medianMs.toFixed(3)} ms, p95 ${controller.p95Ms.toFixed(3)} ms (${String(controller.samples)} samples; budget p95 < 1 ms: ${controller.p95Ms < 1 ? 'within' : 'OVER'})`);
console.log(`  10,000 events back to back: ${(controller.burstMeanMs * 1000).toFixed(1)} µs per event on average`);
console.log(`  heap growth after 10,000 events: ${controller.heapGrowthKb === null ? 'not measurable (no performance.memory)' : `${controller.heapGrowthKb.toFixed(0)} KB of ${controller.heapAfterKb.toFixed(0)} KB`}; room listeners left after dispose: ${String(controller.listenersLeft)}`);

const render = await benchRender();
console.log('components, in Chromium');
console.log(`  <meeting-room> first render: ${render.firstRenderMs.toFixed(1)} ms (${render.sinceScriptMs.toFixed(0)} ms after the page started, module load included; budget 50 ms for the render: ${render.firstRenderMs < 50 ? 'within' : 'OVER'})`);
console.log(`  grid update after a speaker change, 100 participants, ${String(render.tileCount)} tiles in the DOM (page size ${String(render.pageSize)}): median ${render.medianMs.toFixed(2)} ms, p95 ${render.p95Ms.toFixed(2)} ms (budget p95 < 4 ms: ${render.p95Ms < 4 ? 'within' : 'OVER'})`);
const cdn = await benchCdnRender();
console.log(`  first render from the built CDN bundle (fresh page, no cache, loopback): median ${cdn.medianMs.toFixed(1)} ms, best ${cdn.minMs.toFixed(1)} ms over ${String(cdn.runs)} pages`);
