import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorFolderUnreadable } from './errors.js';

// Sources are `.ts` (run through tsx or vitest) and a build is `.js`. When a folder holds both
// for one module, the kind this file itself was loaded as wins, so one class is never loaded twice.
const OWN_KIND = extname(fileURLToPath(import.meta.url)) === '.ts' ? 'source' : 'build';
const SOURCE_EXTENSIONS = ['.ts', '.mts'];
const BUILD_EXTENSIONS = ['.js', '.mjs'];

/** The collector modules of a folder (not its subfolders), in name order. */
export async function listCollectorModules(directory: string | URL): Promise<string[]> {
  const folder = typeof directory === 'string' ? directory : fileURLToPath(directory);
  let names: string[];
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    throw collectorFolderUnreadable(folder, error);
  }
  const byStem = new Map<string, string>();
  for (const name of names.filter(isCollectorModule).sort()) {
    const stem = name.slice(0, -extname(name).length);
    const chosen = byStem.get(stem);
    if (chosen === undefined || isOwnKind(name)) byStem.set(stem, name);
  }
  return [...byStem.values()].sort().map((name) => join(folder, name));
}

function isCollectorModule(name: string): boolean {
  const extension = extname(name);
  if (![...SOURCE_EXTENSIONS, ...BUILD_EXTENSIONS].includes(extension)) return false;
  if (/\.d\.m?ts$/.test(name)) return false;
  if (/\.(test|spec)\.[cm]?[jt]s$/.test(name)) return false;
  return name.slice(0, -extension.length) !== 'index';
}

function isOwnKind(name: string): boolean {
  const extensions = OWN_KIND === 'source' ? SOURCE_EXTENSIONS : BUILD_EXTENSIONS;
  return extensions.includes(extname(name));
}
