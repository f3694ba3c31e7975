import { describe, expect, it } from 'vitest';
import { lint, type Values } from './helm.js';

/**
 * `helm lint` is what an operator (or their CI) runs before an install. Each bad value set must
 * fail it, and the output must point at the value and say what it must be. Helm v4 reports schema
 * errors as `at '<path>': <rule>`; those lines are what we assert on.
 */
interface BadValues {
  title: string;
  values: Values;
  messages: string[];
}

const BAD_VALUE_SETS: BadValues[] = [
  {
    title: 'several replicas on the embedded database',
    values: { replicaCount: 3 },
    messages: ["at '/replicaCount': maximum: got 3, want 1", "at '/database/mode': value must be 'external'"],
  },
  ...(['collectionIntervalDays', 'uploadIntervalHours', 'warningThresholdDays'] as const).flatMap((name) => [
    {
      title: `a zero ${name}`,
      values: { telemetry: { [name]: 0 } },
      messages: [`at '/telemetry/${name}': minimum: got 0, want 1`],
    },
    {
      title: `a negative ${name}`,
      values: { telemetry: { [name]: -2 } },
      messages: [`at '/telemetry/${name}': minimum: got -2, want 1`],
    },
    {
      title: `a quoted ${name}`,
      values: { telemetry: { [name]: '7' } },
      messages: [`at '/telemetry/${name}': got string, want integer`],
    },
  ]),
  {
    title: 'an upload interval longer than the server accepts',
    values: { telemetry: { uploadIntervalHours: 800, warningThresholdDays: 60 } },
    messages: ["at '/telemetry/uploadIntervalHours': maximum: got 800, want 720"],
  },
  {
    title: 'a fractional interval',
    values: { telemetry: { collectionIntervalDays: 1.5 } },
    messages: ["at '/telemetry/collectionIntervalDays': got number, want integer"],
  },
  {
    title: 'a malformed admin email',
    values: { telemetry: { adminEmail: 'admin.example.com' } },
    messages: ["at '/telemetry/adminEmail': 'admin.example.com' is not valid email"],
  },
  {
    title: 'an admin email that is not a string',
    values: { telemetry: { adminEmail: 42 } },
    messages: ["at '/telemetry/adminEmail': got number, want string"],
  },
  {
    title: 'a switch to turn telemetry off',
    values: { telemetry: { enabled: false } },
    messages: ["at '/telemetry': additional properties 'enabled' not allowed"],
  },
  {
    title: 'a vendor key in the values',
    values: { telemetry: { publishableKey: 'replicated_pk_x' } },
    messages: ["at '/telemetry': additional properties 'publishableKey' not allowed"],
  },
  {
    title: 'a replica count that is not a number',
    values: { replicaCount: 'two' },
    messages: ["at '/replicaCount': got string, want integer"],
  },
  {
    title: 'an unknown database mode',
    values: { database: { mode: 'sqlite' } },
    messages: ["at '/database/mode': value must be one of 'embedded', 'external'"],
  },
  {
    title: 'an external database without its URL',
    values: { database: { mode: 'external' } },
    messages: [
      "at '/database/external/url': minLength: got 0, want 1",
      "at '/database/external/existingSecret': minLength: got 0, want 1",
    ],
  },
  {
    title: 'an unquoted numeric image tag',
    values: { image: { tag: 1.2 } },
    messages: ["at '/image/tag': got number, want string"],
  },
  {
    title: 'a Keycloak server that is not a URL',
    values: { enterprise: { keycloakServerUrl: 'keycloak' } },
    messages: ["at '/enterprise/keycloakServerUrl': 'keycloak' is not valid uri"],
  },
  {
    title: 'an upload interval as long as the warning threshold (the license warning would show between uploads)',
    values: { telemetry: { uploadIntervalHours: 96, warningThresholdDays: 4 } },
    messages: ["at '/telemetry/uploadIntervalHours': maximum: got 96, want 95"],
  },
  {
    title: 'the default upload interval with a one-day warning threshold',
    values: { telemetry: { warningThresholdDays: 1 } },
    messages: ["at '/telemetry/uploadIntervalHours': maximum: got 24, want 23"],
  },
  {
    title: 'both a database URL and an existing Secret',
    values: { database: { mode: 'external', external: { url: 'postgres://h/db', existingSecret: 'pg' } } },
    messages: ["at '/database/external': 'not' failed"],
  },
  {
    title: 'a database URL that is not PostgreSQL',
    values: { database: { mode: 'external', external: { url: 'mysql://root:hunter2@db/openhands' } } },
    messages: ["at '/database/external/url': 'not' failed"],
  },
  {
    title: "a metrics port that is the server's own",
    values: { metrics: { port: 3000 } },
    messages: ["at '/metrics/port': 'not' failed"],
  },
  {
    title: 'an alert severity Prometheus setups do not route',
    values: { metrics: { prometheusRule: { severity: 'high' } } },
    messages: ["at '/metrics/prometheusRule/severity': value must be one of 'info', 'warning', 'critical'"],
  },
  {
    title: 'a scrape interval that is not a Prometheus duration',
    values: { metrics: { serviceMonitor: { interval: '1 minute' } } },
    messages: ["at '/metrics/serviceMonitor/interval': '1 minute' does not match pattern"],
  },
  {
    title: 'an unknown spread policy',
    values: { highAvailability: { topologySpread: { whenUnsatisfiable: 'Maybe' } } },
    messages: [
      "at '/highAvailability/topologySpread/whenUnsatisfiable': value must be one of 'ScheduleAnyway', 'DoNotSchedule'",
    ],
  },
  {
    title: 'a misspelt top-level value',
    values: { replicas: 2 },
    messages: ["at '': additional properties 'replicas' not allowed"],
  },
];

describe('helm lint', () => {
  it('passes on the default values, in strict mode', () => {
    const result = lint({}, ['--strict']);
    expect(result.output).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it('passes on a full external-database install with several replicas', () => {
    const result = lint(
      {
        replicaCount: 3,
        database: { mode: 'external', external: { existingSecret: 'pg' } },
        enterprise: {
          githubAppClientId: 'Iv1.abc',
          keycloakServerUrl: 'https://kc.example.com',
          keycloakRealmName: 'oh',
        },
        telemetry: { adminEmail: 'admin@example.com', collectionIntervalDays: 1, uploadIntervalHours: 6 },
        ingress: { enabled: true, host: 'oh.example.com' },
      },
      ['--strict'],
    );
    expect(result.output).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it('fails on a database URL that is not PostgreSQL without printing its password', () => {
    const result = lint({ database: { mode: 'external', external: { url: 'mysql://root:hunter2@db/openhands' } } });
    expect(result.status).not.toBe(0);
    expect(result.output).not.toContain('hunter2');
  });

  it.each(BAD_VALUE_SETS)('fails on $title and says what to fix', ({ values, messages }) => {
    const result = lint(values);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('1 chart(s) failed');
    for (const message of messages) expect(result.output).toContain(message);
  });
});
