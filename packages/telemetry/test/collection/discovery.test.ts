import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CollectorRegistry,
  collectorRegistry,
  isTelemetryError,
  listCollectorModules,
  type TelemetryError,
} from '../../src/collection/index.js';

const FIXTURES = new URL('./fixtures/collectors/', import.meta.url);

describe('listCollectorModules', () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  async function folderWith(names: string[]): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'oh-collectors-'));
    folders.push(folder);
    await mkdir(join(folder, 'sub'));
    for (const name of names) await writeFile(join(folder, name), '');
    return folder;
  }

  it('keeps sources and builds, and skips declarations, tests, index files, maps and subfolders', async () => {
    const folder = await folderWith([
      'a.ts',
      'b.js',
      'c.mjs',
      'd.d.ts',
      'e.d.mts',
      'f.test.ts',
      'g.spec.js',
      'index.ts',
      'index.js',
      'h.js.map',
      'README.md',
    ]);
    const found = (await listCollectorModules(folder)).map((file) => basename(file));
    expect(found).toEqual(['a.ts', 'b.js', 'c.mjs']);
  });

  it('loads a module once when its source and its build sit side by side', async () => {
    const folder = await folderWith(['twin.ts', 'twin.js']);
    // These tests run from sources, so the source wins.
    expect((await listCollectorModules(folder)).map((file) => basename(file))).toEqual(['twin.ts']);
  });

  it('says which folder is missing and what to check', async () => {
    const missing = join(tmpdir(), 'oh-collectors-that-do-not-exist');
    await expect(listCollectorModules(missing)).rejects.toSatisfy(
      (error: TelemetryError) =>
        isTelemetryError(error, 'TELEMETRY_ERR_COLLECTOR_FOLDER') && error.message.includes(missing),
    );
  });
});

describe('CollectorRegistry.discover', () => {
  it('imports every collector module of the folder and registers what they export', async () => {
    const failures: TelemetryError[] = [];
    const registry = new CollectorRegistry({ onRegistrationError: (error) => failures.push(error) });
    const names = await registry.discover(FIXTURES);
    expect(names.sort()).toEqual(['fixture_alpha', 'fixture_beta']);
    expect(registry.names().sort()).toEqual(['fixture_alpha', 'fixture_beta']);
    // The broken module is reported and skipped; index, test, declaration and nested files are never imported.
    expect(failures.map((error) => error.code)).toEqual(['TELEMETRY_ERR_COLLECTOR_MODULE']);
    expect(failures[0]?.message).toContain('broken.ts failed to load: this collector module is broken on purpose');
    expect(registry.registrationErrors()).toEqual(failures);
  });

  it('fills the default registry through the decorators, hidden classes included', async () => {
    const registry = new CollectorRegistry({ onRegistrationError: () => undefined });
    await registry.discover(FIXTURES);
    expect(collectorRegistry.has('fixture_alpha')).toBe(true);
    expect(collectorRegistry.has('fixture_hidden')).toBe(true);
    for (const name of ['fixture_alpha', 'fixture_beta', 'fixture_hidden']) collectorRegistry.unregister(name);
  });

  it('returns the same names when the modules were imported before', async () => {
    const registry = new CollectorRegistry({ onRegistrationError: () => undefined });
    expect((await registry.discover(FIXTURES)).sort()).toEqual(['fixture_alpha', 'fixture_beta']);
    expect((await registry.discover(FIXTURES)).sort()).toEqual(['fixture_alpha', 'fixture_beta']);
  });
});
