// Small helpers shared by the provisioning scripts.
import { spawnSync } from 'node:child_process';

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${output.slice(-2000)}`);
  }
  return result.stdout;
}

export function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs Debian packages when we may (root with apt), else explains what to install. */
export function aptInstall(packages, why) {
  if (!isRoot || !has('apt-get')) {
    throw new Error(
      `${why}: install the Debian packages ${packages.join(' ')} (apt-get install -y ${packages.join(' ')}).`,
    );
  }
  console.log(`[provision] installing ${packages.join(' ')} with apt-get (${why})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...packages], { env });
}
