import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { README_PATH, renderChartReadme } from '../../scripts/chart-readme.js';
import {
  deploymentOf,
  envOf,
  helm,
  type Manifest,
  notes,
  RELEASE,
  render,
  serverContainer,
  type Values,
} from './helm.js';

/** The objects an operator runs the chart with: budgets, spread, monitoring, alerts and the helm test. */
const FULLNAME = `${RELEASE}-openhands`;
const SELECTOR = { 'app.kubernetes.io/name': 'openhands', 'app.kubernetes.io/instance': RELEASE };
const EXTERNAL: Values = { database: { mode: 'external', external: { existingSecret: 'pg' } } };
const THREE_REPLICAS: Values = { ...EXTERNAL, replicaCount: 3 };
const EVERYTHING: Values = {
  ...THREE_REPLICAS,
  metrics: {
    serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
    prometheusRule: { enabled: true },
  },
  ingress: { enabled: true, host: 'oh.example.com' },
  telemetry: { adminToken: { existingSecret: 'oh-admin' } },
};

const kinds = (manifests: Manifest[]) => manifests.map((m) => m.kind);
const named = <T = Record<string, unknown>>(manifests: Manifest[], kind: string, name: string) =>
  manifests.find((m) => m.kind === kind && m.metadata.name === name) as (Manifest & T) | undefined;
const podSpec = (manifests: Manifest[]) =>
  deploymentOf(manifests).spec.template.spec as unknown as {
    topologySpreadConstraints?: Array<Record<string, unknown>>;
    containers: Array<{ ports: Array<{ name: string; containerPort: number }> }>;
  };

describe('several replicas on an external database', () => {
  it('get a PodDisruptionBudget and a spread over nodes and zones', () => {
    const manifests = render(THREE_REPLICAS);
    const budget = named<{ spec: unknown }>(manifests, 'PodDisruptionBudget', FULLNAME);
    expect(budget?.apiVersion).toBe('policy/v1');
    expect(budget?.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
    expect(podSpec(manifests).topologySpreadConstraints).toEqual(
      ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: SELECTOR },
      })),
    );
  });

  it('take the budget and spread settings from the values, and can turn them off', () => {
    const tuned = render({
      ...THREE_REPLICAS,
      highAvailability: {
        podDisruptionBudget: { maxUnavailable: 2 },
        topologySpread: { topologyKeys: ['kubernetes.io/hostname'], whenUnsatisfiable: 'DoNotSchedule' },
      },
    });
    expect(
      named<{ spec: { maxUnavailable: number } }>(tuned, 'PodDisruptionBudget', FULLNAME)?.spec.maxUnavailable,
    ).toBe(2);
    expect(podSpec(tuned).topologySpreadConstraints).toMatchObject([
      { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
    ]);
    const off = render({
      ...THREE_REPLICAS,
      highAvailability: { podDisruptionBudget: { enabled: false }, topologySpread: { enabled: false } },
    });
    expect(kinds(off)).not.toContain('PodDisruptionBudget');
    expect(podSpec(off).topologySpreadConstraints).toBeUndefined();
  });

  it.each([
    ['the embedded database', {}],
    ['one replica on an external database', { ...EXTERNAL, replicaCount: 1 }],
  ])('are not there for %s, where a budget would only block node drains', (_title, values) => {
    const manifests = render(values);
    expect(kinds(manifests)).not.toContain('PodDisruptionBudget');
    expect(podSpec(manifests).topologySpreadConstraints).toBeUndefined();
  });
});

describe('labels', () => {
  it('select pods without the chart or app version, and a chart bump leaves the pod template unchanged', () => {
    const manifests = render(THREE_REPLICAS);
    const deployment = deploymentOf(manifests) as unknown as {
      spec: { selector: { matchLabels: unknown }; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(deployment.spec.selector.matchLabels).toEqual(SELECTOR);
    expect(deployment.spec.template.metadata.labels).not.toHaveProperty('helm.sh/chart');
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      expect((service.spec as { selector: unknown }).selector, service.metadata.name).toEqual(SELECTOR);
    }

    // The same chart with another version number: the pods must not be rolled for that alone.
    const dir = mkdtempSync(join(tmpdir(), 'chart-bump-'));
    try {
      const chart = join(dir, 'openhands');
      cpSync(fileURLToPath(new URL('../openhands/', import.meta.url)), chart, { recursive: true });
      const chartYaml = join(chart, 'Chart.yaml');
      writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, 'version: 9.9.9'));
      const bumped = helm(['template', RELEASE, chart, '--namespace', 'openhands'], THREE_REPLICAS);
      expect(bumped.status).toBe(0);
      expect(bumped.output).toContain('helm.sh/chart: openhands-9.9.9');
      const template = (output: string) =>
        output.slice(output.indexOf('  template:'), output.indexOf('kind:', output.indexOf('  template:')));
      const original = helm(
        ['template', RELEASE, fileURLToPath(new URL('../openhands/', import.meta.url)), '--namespace', 'openhands'],
        THREE_REPLICAS,
      );
      expect(template(bumped.output)).toBe(template(original.output));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metrics', () => {
  it('are served on their own port through a ClusterIP Service of their own', () => {
    const manifests = render();
    expect(envOf(manifests).get('METRICS_PORT')?.value).toBe('9464');
    expect(podSpec(manifests).containers[0]?.ports).toContainEqual({
      name: 'metrics',
      containerPort: 9464,
      protocol: 'TCP',
    });
    const service = named<{ spec: unknown }>(manifests, 'Service', `${FULLNAME}-metrics`);
    expect(service?.spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' }],
    });
    expect(service?.metadata.labels?.['app.kubernetes.io/component']).toBe('metrics');
    expect(envOf(render({ metrics: { port: 9100 } })).get('METRICS_PORT')?.value).toBe('9100');
  });

  it('get a ServiceMonitor on request, with the labels the Prometheus selects', () => {
    expect(kinds(render())).not.toContain('ServiceMonitor');
    const monitor = named<{ spec: unknown }>(render(EVERYTHING), 'ServiceMonitor', FULLNAME);
    expect(monitor?.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor?.metadata.labels?.['release']).toBe('kube-prometheus-stack');
    expect(monitor?.spec).toEqual({
      selector: { matchLabels: { ...SELECTOR, 'app.kubernetes.io/component': 'metrics' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '60s' }],
    });
  });

  it('get the three alerts on request, on the metrics the server exports', () => {
    expect(kinds(render())).not.toContain('PrometheusRule');
    const rule = named<{
      spec: { groups: Array<{ rules: Array<{ alert: string; expr: string; for: string; labels: unknown }> }> };
    }>(
      render({ metrics: { prometheusRule: { enabled: true, noContactHours: 12, severity: 'critical' } } }),
      'PrometheusRule',
      FULLNAME,
    );
    const rules = rule?.spec.groups[0]?.rules ?? [];
    const selector = `{namespace="openhands", job="${FULLNAME}-metrics"}`;
    expect(rules.map((r) => [r.alert, r.for, r.labels])).toEqual([
      ['OpenHandsLicenseWarning', '5m', { severity: 'critical' }],
      ['OpenHandsNoVendorContact', '15m', { severity: 'critical' }],
      ['OpenHandsNoTelemetrySender', '30m', { severity: 'critical' }],
    ]);
    expect(rules[0]?.expr).toBe(`max(openhands_telemetry_license_warning${selector}) > 0`);
    expect(rules[1]?.expr).toContain(
      `time() - max(openhands_telemetry_last_vendor_contact_timestamp_seconds${selector}) > 43200`,
    );
    expect(rules[1]?.expr).toContain(`or max(openhands_telemetry_oldest_pending_batch_age_seconds${selector}) > 43200`);
    expect(rules[2]?.expr).toBe(`(max(openhands_telemetry_leader${selector}) or vector(0)) < 1`);
  });
});

describe('helm test', () => {
  it('is a Pod that asks /readyz through the Service, outside the Services’ selectors', () => {
    const manifests = render({ service: { port: 8080 } });
    const pod = named<{
      spec: { containers: Array<{ image: string; command: string[]; env: unknown[] }>; restartPolicy: string };
    }>(manifests, 'Pod', `${FULLNAME}-test-readyz`);
    expect(pod?.metadata.annotations?.['helm.sh/hook']).toBe('test');
    expect(pod?.spec.restartPolicy).toBe('Never');
    const container = pod?.spec.containers[0];
    expect(container?.image).toBe(serverContainer(manifests).image);
    expect(container?.env).toEqual([{ name: 'READYZ_URL', value: `http://${FULLNAME}:8080/readyz` }]);
    expect(container?.command.slice(0, 2)).toEqual(['node', '-e']);
    expect(container?.command[2]).toContain('process.exit(r.ok ? 0 : 1)');
    expect(pod?.metadata.labels?.['app.kubernetes.io/name']).not.toBe('openhands');
    expect(render({ tests: { image: 'busybox-node:1' } }).find((m) => m.kind === 'Pod')).toMatchObject({
      spec: { containers: [{ image: 'busybox-node:1' }] },
    });
  });
});

describe('what customers see', () => {
  it('never turns on the development sign-in', () => {
    expect(envOf(render(EVERYTHING)).has('OPENHANDS_DEV_SIGN_IN')).toBe(false);
  });

  it('carries no internal reference in any manifest or in the notes', () => {
    const text = [JSON.stringify(render(EVERYTHING)), JSON.stringify(render()), notes(EVERYTHING), notes()].join('\n');
    expect(text).not.toMatch(/§|design doc|DECISIONS|issue \d|in the source/i);
  });

  it('has a README generated from the commented values, and it is current (npm run docs:chart)', () => {
    const chart = fileURLToPath(new URL('../openhands/', import.meta.url));
    const expected = renderChartReadme(
      readFileSync(`${chart}values.yaml`, 'utf8'),
      readFileSync(`${chart}Chart.yaml`, 'utf8'),
    );
    expect(readFileSync(README_PATH, 'utf8'), 'run `npm run docs:chart`').toBe(expected);
    expect(expected).toMatch(/^\| `metrics\.prometheusRule\.noContactHours` +\| `24` +\| Hours without/m);
    expect(expected).toMatch(/^\| `highAvailability\.podDisruptionBudget\.maxUnavailable` +\| `1` +\|/m);
  });

  it('refuses to document a value that has no comment', () => {
    expect(() =>
      renderChartReadme('# a\nsomething: 1\nother: 2\n', 'name: x\nversion: 1.0.0\nappVersion: "1"\ndescription: d\n'),
    ).toThrow('these values have no comment to describe them: other');
  });
});
