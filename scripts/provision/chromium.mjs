// Debian's chromium for the browser tests (never a downloaded browser: the network is closed).
import { existsSync } from 'node:fs';
import { aptInstall } from './run.mjs';

export function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) aptInstall(['chromium'], 'the browser tests need Chromium');
  return path;
}
