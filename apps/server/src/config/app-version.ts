import { readFileSync } from 'node:fs';

/** The server package's version: the version label sent to the vendor and shown to admins. */
export function readAppVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
