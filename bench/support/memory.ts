import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const PROBE = fileURLToPath(new URL('./rss-probe.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ProbeFigures {
  afterOpenMb: number;
  peakDuringCollectionMb?: number;
  afterCollectionMb?: number;
}

/** Starts a fresh process that opens the database as the server does, and reads its memory. */
export async function probeMemory(target: { dataDir: string } | { databaseUrl: string }, collect: boolean) {
  const args = 'dataDir' in target ? ['--data-dir', target.dataDir] : ['--database-url', target.databaseUrl];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--conditions=source', PROBE, ...args, ...(collect ? ['--collect'] : [])],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ProbeFigures;
}

/** The server container's memory limit in the chart's default values, in MiB. */
export function chartMemoryLimitMb(): number {
  const values = parse(readFileSync(`${ROOT}charts/openhands/values.yaml`, 'utf8')) as {
    resources?: { limits?: { memory?: string } };
  };
  const limit = values.resources?.limits?.memory ?? '';
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(limit);
  if (!match) throw new Error(`charts/openhands/values.yaml: resources.limits.memory "${limit}" is not in Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
