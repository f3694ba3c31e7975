import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

/** The chart under test, run through the real helm binary: no template engine of our own. */
const CHART_DIR = fileURLToPath(new URL('../openhands/', import.meta.url));
export const RELEASE = 'oh';

export type Values = Record<string, unknown>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface Container {
  name: string;
  image: string;
  env: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  startupProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  securityContext: Record<string, unknown>;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
  emptyDir?: Record<string, never>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: unknown;
}

export interface Secret extends Manifest {
  stringData: Record<string, string>;
}

export interface PersistentVolumeClaim extends Manifest {
  spec: { accessModes: string[]; storageClassName?: string; resources: { requests: { storage: string } } };
}

export interface Ingress extends Manifest {
  spec: {
    ingressClassName?: string;
    tls?: { secretName: string; hosts?: string[] }[];
    rules: { host?: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
  };
}

export interface Deployment extends Manifest {
  spec: {
    replicas: number;
    strategy: { type: string };
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[]; volumes: Volume[]; securityContext: Record<string, unknown> };
    };
  };
}

export interface HelmResult {
  status: number | null;
  /** stdout and stderr together, as an operator sees them. */
  output: string;
}

export function helmBin(): string {
  const bin = process.env.HELM_BIN;
  if (!bin) {
    throw new Error(
      'HELM_BIN is not set. Run the chart tests through `npm test`, which provides a helm binary, ' +
        'or export HELM_BIN=/path/to/helm (v4) first.',
    );
  }
  return bin;
}

/** Runs helm with the values on stdin (`-f -`), as a values file would give them. */
export function helm(args: string[], values: Values = {}): HelmResult {
  const bin = helmBin();
  const result = spawnSync(bin, [...args, '-f', '-'], { input: stringify(values), encoding: 'utf8' });
  if (result.error) throw new Error(`could not run helm at HELM_BIN=${bin}: ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export function lint(values: Values = {}, flags: string[] = []): HelmResult {
  return helm(['lint', CHART_DIR, ...flags], values);
}

/** `helm template` and the parsed manifests; throws with helm's own message when it refuses. */
export function render(values: Values = {}, flags: string[] = []): Manifest[] {
  const result = helm(['template', RELEASE, CHART_DIR, '--namespace', 'openhands', ...flags], values);
  if (result.status !== 0) throw new Error(result.output);
  return parseAllDocuments(result.output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** The install notes as `helm install` prints them (a client-side dry run: no cluster needed). */
export function notes(values: Values = {}): string {
  const result = helm(['install', RELEASE, CHART_DIR, '--namespace', 'openhands', '--dry-run=client'], values);
  if (result.status !== 0) throw new Error(result.output);
  const start = result.output.indexOf('NOTES:');
  if (start < 0) throw new Error(`helm printed no NOTES:\n${result.output}`);
  return result.output.slice(start);
}

export function find<T extends Manifest = Manifest>(manifests: Manifest[], kind: string): T | undefined {
  return manifests.find((manifest) => manifest.kind === kind) as T | undefined;
}

export function deploymentOf(manifests: Manifest[]): Deployment {
  const deployment = find<Deployment>(manifests, 'Deployment');
  if (!deployment) throw new Error('the chart rendered no Deployment');
  return deployment;
}

export function serverContainer(manifests: Manifest[]): Container {
  const container = deploymentOf(manifests).spec.template.spec.containers.find((c) => c.name === 'server');
  if (!container) throw new Error('the Deployment has no container named server');
  return container;
}

export function envOf(manifests: Manifest[]): Map<string, EnvVar> {
  return new Map(serverContainer(manifests).env.map((entry) => [entry.name, entry]));
}
