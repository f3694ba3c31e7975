import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  deploymentOf,
  envOf,
  find,
  type Ingress,
  type Manifest,
  notes,
  type PersistentVolumeClaim,
  RELEASE,
  render,
  type Secret,
  serverContainer,
} from './helm.js';

const FULLNAME = `${RELEASE}-openhands`;
const TELEMETRY_INTERVALS = [
  'TELEMETRY_COLLECTION_INTERVAL_DAYS',
  'TELEMETRY_UPLOAD_INTERVAL_HOURS',
  'TELEMETRY_WARNING_THRESHOLD_DAYS',
];

function envValues(values: Record<string, unknown> = {}): Record<string, string | undefined> {
  return Object.fromEntries([...envOf(render(values))].map(([name, entry]) => [name, entry.value]));
}

describe('the chart with its default values', () => {
  // Rendered once, on first use inside a test, so that a missing helm fails each test by name.
  let rendered: Manifest[] | undefined;
  const defaults = () => {
    rendered ??= render();
    return { manifests: rendered, deployment: deploymentOf(rendered), env: envOf(rendered) };
  };

  it('renders the server, its Services, the embedded database volume and the test Pod, and nothing else', () => {
    const { manifests } = defaults();
    expect(manifests.map((manifest) => `${manifest.kind} ${manifest.metadata.name}`).sort()).toEqual([
      `Deployment ${FULLNAME}`,
      `PersistentVolumeClaim ${FULLNAME}-data`,
      `Pod ${FULLNAME}-test-readyz`,
      `Service ${FULLNAME}`,
      `Service ${FULLNAME}-metrics`,
    ]);
  });

  it('runs one pod that is recreated, never rolled, so two pods never open the data folder', () => {
    const { deployment } = defaults();
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps the embedded data folder on a ReadWriteOnce volume mounted at /data', () => {
    const { manifests, deployment, env } = defaults();
    const claim = find<PersistentVolumeClaim>(manifests, 'PersistentVolumeClaim');
    expect(claim?.metadata.name).toBe(`${FULLNAME}-data`);
    expect(claim?.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim?.spec.resources.requests.storage).toBe('8Gi');
    expect(claim?.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: `${FULLNAME}-data` } });
    expect(serverContainer(manifests).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(env.get('OPENHANDS_DATA_DIR')?.value).toBe('/data');
    expect(env.has('DATABASE_URL')).toBe(false);
  });

  it('sets the three telemetry intervals to 7, 24 and 4, and no admin email', () => {
    const { env } = defaults();
    expect(TELEMETRY_INTERVALS.map((name) => env.get(name)?.value)).toEqual(['7', '24', '4']);
    expect(env.has('OPENHANDS_ADMIN_EMAIL')).toBe(false);
  });

  it('sets no enterprise, proxy or secret variable that was not asked for', () => {
    const { env } = defaults();
    for (const name of [
      'GITHUB_APP_CLIENT_ID',
      'KEYCLOAK_SERVER_URL',
      'KEYCLOAK_REALM_NAME',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NO_PROXY',
      'SESSION_SECRET',
      'TELEMETRY_ADMIN_TOKEN',
      'NODE_EXTRA_CA_CERTS',
    ]) {
      expect(env.has(name), name).toBe(false);
    }
  });

  it('listens on 3000 and probes /healthz and /readyz there', () => {
    const { manifests, env } = defaults();
    const container = serverContainer(manifests);
    expect(env.get('PORT')?.value).toBe('3000');
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === FULLNAME);
    // The user-facing Service carries the UI and API only, never /metrics.
    expect(service?.spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect((service?.spec as { ports?: unknown[] } | undefined)?.ports).toHaveLength(1);
  });

  it('runs as the non-root user of the image with a read-only root filesystem', () => {
    const { manifests, deployment } = defaults();
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(serverContainer(manifests).securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(serverContainer(manifests).image).toBe('openhands-enterprise:0.1.0');
  });

  it('has no value that turns telemetry off or carries the vendor key', () => {
    const { env } = defaults();
    const values = parse(readFileSync(new URL('../openhands/values.yaml', import.meta.url), 'utf8'));
    expect(Object.keys(values.telemetry).sort()).toEqual([
      'adminEmail',
      'adminToken',
      'collectionIntervalDays',
      'uploadIntervalHours',
      'warningThresholdDays',
    ]);
    for (const name of env.keys()) expect(name).not.toMatch(/REPLICATED|PUBLISHABLE|DISABLE|ENABLE|OPT_?OUT/);
  });
});

describe('the telemetry values', () => {
  it('pass the admin email only when it is set', () => {
    expect(envValues({ telemetry: { adminEmail: 'admin@example.com' } }).OPENHANDS_ADMIN_EMAIL).toBe(
      'admin@example.com',
    );
    expect(envValues({ telemetry: { adminEmail: '' } })).not.toHaveProperty('OPENHANDS_ADMIN_EMAIL');
  });

  it('pass the intervals as given, as strings', () => {
    const env = envValues({
      telemetry: { collectionIntervalDays: 14, uploadIntervalHours: 12, warningThresholdDays: 5 },
    });
    expect(TELEMETRY_INTERVALS.map((name) => env[name])).toEqual(['14', '12', '5']);
  });

  it('fall back to 7, 24 and 4 when an interval is removed from the values', () => {
    const env = envValues({
      telemetry: { collectionIntervalDays: null, uploadIntervalHours: null, warningThresholdDays: null },
    });
    expect(TELEMETRY_INTERVALS.map((name) => env[name])).toEqual(['7', '24', '4']);
  });

  it('take the admin API token from an existing Secret', () => {
    const env = envOf(render({ telemetry: { adminToken: { existingSecret: 'telemetry-api' } } }));
    expect(env.get('TELEMETRY_ADMIN_TOKEN')?.valueFrom).toEqual({
      secretKeyRef: { name: 'telemetry-api', key: 'TELEMETRY_ADMIN_TOKEN' },
    });
  });
});

describe('an external PostgreSQL', () => {
  it('given as a URL: stores it in a Secret of the chart and runs the replicas asked for, rolling', () => {
    const url = 'postgres://openhands:s3cret@db.internal:5432/openhands';
    const manifests = render({ replicaCount: 3, database: { mode: 'external', external: { url } } });
    const deployment = deploymentOf(manifests);
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');

    const secret = find<Secret>(manifests, 'Secret');
    expect(secret?.metadata.name).toBe(`${FULLNAME}-database`);
    expect(secret?.stringData).toEqual({ DATABASE_URL: url });
    expect(envOf(manifests).get('DATABASE_URL')).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: `${FULLNAME}-database`, key: 'DATABASE_URL' } },
    });
    expect(JSON.stringify(deployment)).not.toContain('s3cret');
    expect(deployment.spec.template.metadata.annotations?.['checksum/database-secret']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('from an existing Secret: refers to that Secret and key, and creates none', () => {
    const manifests = render({
      database: { mode: 'external', external: { existingSecret: 'pg-credentials', existingSecretKey: 'url' } },
    });
    expect(envOf(manifests).get('DATABASE_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: 'pg-credentials', key: 'url' },
    });
    expect(find(manifests, 'Secret')).toBeUndefined();
  });

  it('drops the data volume, the data folder and the Recreate strategy', () => {
    const manifests = render({ replicaCount: 2, database: { mode: 'external', external: { existingSecret: 'pg' } } });
    expect(find(manifests, 'PersistentVolumeClaim')).toBeUndefined();
    expect(deploymentOf(manifests).spec.template.spec.volumes.map((volume) => volume.name)).toEqual(['tmp']);
    expect(serverContainer(manifests).volumeMounts?.map((mount) => mount.mountPath)).toEqual(['/tmp']);
    expect(envOf(manifests).has('OPENHANDS_DATA_DIR')).toBe(false);
  });
});

describe('the embedded database volume', () => {
  it('uses an existing claim instead of creating one', () => {
    const manifests = render({ database: { embedded: { persistence: { existingClaim: 'openhands-data-v1' } } } });
    expect(find(manifests, 'PersistentVolumeClaim')).toBeUndefined();
    expect(deploymentOf(manifests).spec.template.spec.volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'openhands-data-v1' },
    });
  });

  it('takes a storage class and size, and can be removed with the release', () => {
    const claim = find<PersistentVolumeClaim>(
      render({
        database: { embedded: { persistence: { storageClass: 'fast', size: '20Gi', retainOnUninstall: false } } },
      }),
      'PersistentVolumeClaim',
    );
    expect(claim?.spec.storageClassName).toBe('fast');
    expect(claim?.spec.resources.requests.storage).toBe('20Gi');
    expect(claim?.metadata.annotations).toBeUndefined();
  });
});

describe('the other settings', () => {
  it('pass the three enterprise settings when they are set', () => {
    const env = envValues({
      enterprise: {
        githubAppClientId: 'Iv1.abc',
        keycloakServerUrl: 'https://keycloak.example.com',
        keycloakRealmName: 'openhands',
      },
    });
    expect(env).toMatchObject({
      GITHUB_APP_CLIENT_ID: 'Iv1.abc',
      KEYCLOAK_SERVER_URL: 'https://keycloak.example.com',
      KEYCLOAK_REALM_NAME: 'openhands',
    });
  });

  it('pass the proxy settings and trust extra certificate authorities', () => {
    const values = {
      proxy: { httpsProxy: 'http://proxy:3128', httpProxy: 'http://proxy:3128', noProxy: '.cluster.local' },
      extraCaCertificates: { configMapName: 'corporate-ca' },
    };
    const manifests = render(values);
    expect(envValues(values)).toMatchObject({
      HTTPS_PROXY: 'http://proxy:3128',
      HTTP_PROXY: 'http://proxy:3128',
      NO_PROXY: '.cluster.local',
      NODE_EXTRA_CA_CERTS: '/etc/openhands/ca/ca.crt',
    });
    expect(deploymentOf(manifests).spec.template.spec.volumes).toContainEqual({
      name: 'extra-ca',
      configMap: { name: 'corporate-ca' },
    });
  });

  it('take the session secret from an existing Secret', () => {
    const env = envOf(render({ sessionSecret: { existingSecret: 'openhands-session' } }));
    expect(env.get('SESSION_SECRET')?.valueFrom?.secretKeyRef).toEqual({
      name: 'openhands-session',
      key: 'SESSION_SECRET',
    });
  });

  it('create an Ingress for the host, with TLS when a certificate Secret is named', () => {
    const ingress = find<Ingress>(
      render({ ingress: { enabled: true, className: 'nginx', host: 'oh.example.com', tlsSecretName: 'oh-tls' } }),
      'Ingress',
    );
    expect(ingress?.spec.ingressClassName).toBe('nginx');
    expect(ingress?.spec.tls).toEqual([{ secretName: 'oh-tls', hosts: ['oh.example.com'] }]);
    expect(ingress?.spec.rules[0]?.host).toBe('oh.example.com');
    expect(ingress?.spec.rules[0]?.http.paths[0]?.backend.service.name).toBe(FULLNAME);
  });
});

describe('rules that span several values', () => {
  it('refuse several replicas on the embedded database even when the schema is skipped', () => {
    expect(() => render({ replicaCount: 2 }, ['--skip-schema-validation'])).toThrow(
      /replicaCount is 2, but the embedded database .* Set replicaCount to 1, or set database.mode to external/,
    );
  });

  it('refuse both a URL and an existing Secret for the external database', () => {
    expect(() =>
      render({ database: { mode: 'external', external: { url: 'postgres://h/db', existingSecret: 'pg' } } }, [
        '--skip-schema-validation',
      ]),
    ).toThrow(/database.external: set either url or existingSecret, not both/);
  });

  it('refuse a URL that is not PostgreSQL, without printing it', () => {
    let message = '';
    try {
      render({ database: { mode: 'external', external: { url: 'mysql://root:hunter2@db/openhands' } } }, [
        '--skip-schema-validation',
      ]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/database.external.url must start with postgres:\/\/ or postgresql:\/\//);
    expect(message).not.toContain('hunter2');
  });

  it('refuse an upload interval as long as the warning threshold', () => {
    expect(() =>
      render({ telemetry: { uploadIntervalHours: 96, warningThresholdDays: 4 } }, ['--skip-schema-validation']),
    ).toThrow(
      /telemetry.uploadIntervalHours \(96\) must be shorter than telemetry.warningThresholdDays \(4 days = 96 hours\)/,
    );
    expect(envValues({ telemetry: { uploadIntervalHours: 95, warningThresholdDays: 4 } })).toMatchObject({
      TELEMETRY_UPLOAD_INTERVAL_HOURS: '95',
    });
  });
});

describe('the install notes', () => {
  it('say that usage is reported to the vendor, what is sent, and where to read more', () => {
    const text = notes();
    expect(text).toContain('this product reports usage to its vendor');
    expect(text).toContain('https://replicated.app');
    expect(text).toContain('every 7 days');
    expect(text).toContain('every 24 hours');
    expect(text).toContain('the administrator email, the only personal data sent');
    expect(text).toContain('Telemetry cannot be turned off');
    expect(text).toContain('/admin/telemetry');
    // What an operator can open: the product's own dictionary, the chart's README, helm test.
    expect(text).toContain('every metric is listed at\n      http://localhost:8080/docs/metrics');
    expect(text).toContain('helm show readme');
    expect(text).toContain('http://localhost:8080/docs/troubleshooting (from symptom to fix)');
    expect(text).toContain('helm test oh --namespace openhands');
    expect(text).not.toMatch(/\(s\)|in the source/);
  });

  it('count in words that agree with the number', () => {
    const text = notes({
      telemetry: { collectionIntervalDays: 1, uploadIntervalHours: 1, warningThresholdDays: 1 },
      enterprise: { githubAppClientId: 'a', keycloakServerUrl: 'https://kc.example.com', keycloakRealmName: 'r' },
    });
    expect(text).toContain('every 1 day and');
    expect(text).toContain('every 1 hour to');
    expect(text).toContain('hears nothing for 1 day, every page');
    const external = notes({ replicaCount: 1, database: { mode: 'external', external: { existingSecret: 'pg' } } });
    expect(external).toContain('1 replica.');
  });

  it('show the doctor command when the admin token is set, and its URL through the Ingress', () => {
    expect(notes()).toContain('Set telemetry.adminToken to use the openhands-telemetry command');
    const text = notes({
      telemetry: { adminToken: { existingSecret: 'oh-admin' } },
      ingress: { enabled: true, host: 'oh.example.com', tlsSecretName: 'tls' },
    });
    expect(text).toContain(
      'kubectl --namespace openhands exec deploy/oh-openhands -- node apps/server/dist/cli/telemetry/main.js doctor',
    );
    expect(text).toContain('https://oh.example.com/docs/metrics');
  });

  it('name the admin email when set, and warn when it is not', () => {
    expect(notes()).toContain('telemetry.adminEmail is not set: nothing is uploaded until a user accepts');
    const text = notes({ telemetry: { adminEmail: 'admin@example.com' } });
    expect(text).toContain('the only personal data sent: admin@example.com');
    expect(text).not.toContain('telemetry.adminEmail is not set');
  });

  it('never print the proxy URL, which may carry a password', () => {
    expect(notes({ proxy: { httpsProxy: 'http://user:pa55@proxy:3128' } })).not.toContain('pa55');
  });
});
