// How every test in this project starts Chromium: Debian's binary and the flags this machine needs
// (headless, fake camera and microphone, loopback WebRTC). The workplace keeps the authoritative
// list in ../shared/chromium-flags.txt; the copy below is used when that file is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FALLBACK_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumFlags() {
  const shared = fileURLToPath(new URL('../../../shared/chromium-flags.txt', import.meta.url));
  const lines = existsSync(shared)
    ? readFileSync(shared, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('--'))
    : FALLBACK_FLAGS;
  // puppeteer sets headless mode itself through its `headless` option.
  return lines.filter((flag) => !flag.startsWith('--headless'));
}

export function assertChromiumInstalled() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. Install it with: apt-get install -y chromium (npm test does this for you).`);
  }
}
