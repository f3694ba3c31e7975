import type { IncomingHttpHeaders } from 'node:http';
import { type AppStatus, HEADERS, isAppStatus, type MetricValue, PUBLISHABLE_KEY_PREFIX } from '../protocol.js';
import { asObject, decodeTagData, header, isNonEmptyString, metricProblem, newId } from './parsing.js';
import {
  type CheckInView,
  type CustomerView,
  type EmulatorState,
  type InstanceView,
  type MetricEventView,
  type MetricSetView,
  maskSecret,
} from './state.js';

/** An answer of the vendor API: a status and a JSON body. */
export interface VendorReply {
  status: number;
  body: Record<string, unknown>;
}

export interface VendorRequest {
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; `undefined` when it was not JSON. */
  body: unknown;
  at: Date;
}

interface CustomerRecord {
  id: string;
  email: string;
  name: string | null;
  channel: string;
  appSlug: string;
  serviceToken: string;
  createdAt: Date;
}

interface InstanceRecord {
  id: string;
  customerId: string;
  machineFingerprint: string;
  appStatus: AppStatus;
  versionLabel: string | null;
  instanceName: string | null;
  /** Instance tags other than the name, from the last check-in that sent any. */
  tags: Record<string, string>;
  createdAt: Date;
  lastMetricsAt: Date | null;
  lastCheckInAt: Date | null;
}

interface MetricSetRecord {
  data: Record<string, MetricValue>;
  receivedAt: Date;
}

// Long runs of the demo should not grow memory without bound; tests stay far below these.
const MAX_EVENTS = 10_000;
const MAX_CHECK_INS = 10_000;

function refuse(status: number, code: string, message: string): VendorReply {
  return { status, body: { message, code } };
}

/**
 * The vendor side of the protocol, in memory: who the customers and instances are, the current metric
 * set of each instance, the events its changes produce and the check-ins. Rules follow the protocol
 * notes; where the notes are silent (is an instance per machine fingerprint? must the instance belong
 * to the token's customer?) the stricter reading is taken, so that a client bug shows up here first.
 */
export class Vendor {
  readonly #customers = new Map<string, CustomerRecord>();
  readonly #instances = new Map<string, InstanceRecord>();
  readonly #metricSets = new Map<string, MetricSetRecord>();
  #events: MetricEventView[] = [];
  #checkIns: CheckInView[] = [];

  constructor(private readonly publishableKeys: readonly string[] | undefined) {}

  createCustomer(request: VendorRequest): VendorReply {
    if (!this.#isPublishableKey(request.headers.authorization)) {
      return refuse(401, 'unauthorized', 'A valid publishable key is required: Authorization: Bearer replicated_pk_…');
    }
    const body = asObject(request.body);
    if (body === undefined) return refuse(400, 'invalid_body', 'The body must be a JSON object.');
    const { email_address: email, app_slug: appSlug, channel = 'Stable', name = null } = body;
    if (!isNonEmptyString(email)) return refuse(400, 'invalid_email', 'email_address must be a non-empty string.');
    if (!isNonEmptyString(appSlug)) return refuse(400, 'invalid_app_slug', 'app_slug must be a non-empty string.');
    if (!isNonEmptyString(channel)) return refuse(400, 'invalid_channel', 'channel must be a non-empty string.');
    if (name !== null && typeof name !== 'string') return refuse(400, 'invalid_name', 'name must be a string or null.');

    let customer = [...this.#customers.values()].find((c) => c.email === email && c.appSlug === appSlug);
    const created = customer === undefined;
    if (customer === undefined) {
      customer = { id: newId(), email, name, channel, appSlug, serviceToken: newId(40), createdAt: request.at };
      this.#customers.set(customer.id, customer);
    }
    const instanceId = this.#instancesOf(customer.id)[0]?.id;
    return {
      status: created ? 201 : 200,
      body: {
        customer: {
          id: customer.id,
          email: customer.email,
          name: customer.name,
          serviceToken: customer.serviceToken,
          ...(instanceId === undefined ? {} : { instanceId }),
        },
      },
    };
  }

  createInstance(request: VendorRequest): VendorReply {
    const customer = this.#customerOfToken(request.headers.authorization);
    if (customer === undefined) return unknownToken();
    const body = asObject(request.body);
    if (body === undefined) return refuse(400, 'invalid_body', 'The body must be a JSON object.');
    const { machine_fingerprint: fingerprint, app_status: appStatus = 'missing' } = body;
    if (!isNonEmptyString(fingerprint)) {
      return refuse(400, 'invalid_machine_fingerprint', 'machine_fingerprint must be a non-empty string.');
    }
    if (!isAppStatus(appStatus)) return invalidStatus(appStatus);

    const existing = this.#instancesOf(customer.id).find((i) => i.machineFingerprint === fingerprint);
    if (existing) return { status: 200, body: { instance_id: existing.id } };
    const instance: InstanceRecord = {
      id: newId(),
      customerId: customer.id,
      machineFingerprint: fingerprint,
      appStatus,
      versionLabel: null,
      instanceName: null,
      tags: {},
      createdAt: request.at,
      lastMetricsAt: null,
      lastCheckInAt: null,
    };
    this.#instances.set(instance.id, instance);
    return { status: 201, body: { instance_id: instance.id } };
  }

  /** POST = replace: the set received becomes the whole set; an event per value that changed. */
  receiveMetrics(request: VendorRequest): VendorReply {
    const target = this.#instanceOfRequest(request);
    if ('status' in target) return target;
    const appStatus = header(request.headers, HEADERS.appStatus) ?? 'ready';
    if (!isAppStatus(appStatus)) return invalidStatus(appStatus);
    const data = asObject(asObject(request.body)?.['data']);
    if (data === undefined) return refuse(400, 'invalid_data', 'The body must be {"data": {...}} with an object.');
    const problem = metricProblem(data);
    if (problem !== undefined) return refuse(400, 'invalid_metric', problem);

    const values = data as Record<string, MetricValue>;
    const previous = this.#metricSets.get(target.id)?.data ?? {};
    for (const [key, value] of Object.entries(values)) {
      if (previous[key] !== value) {
        this.#events.push({ instanceId: target.id, key, previous: previous[key] ?? null, value, at: iso(request.at) });
      }
    }
    this.#events = this.#events.slice(-MAX_EVENTS);
    this.#metricSets.set(target.id, { data: { ...values }, receivedAt: request.at });
    target.appStatus = appStatus;
    target.lastMetricsAt = request.at;
    return { status: 200, body: {} };
  }

  checkIn(request: VendorRequest): VendorReply {
    const target = this.#instanceOfRequest(request);
    if ('status' in target) return target;
    const appStatus = header(request.headers, HEADERS.appStatus);
    if (!isAppStatus(appStatus)) return invalidStatus(appStatus);
    const tagData = decodeTagData(header(request.headers, HEADERS.instanceTagData));
    if (tagData === undefined) {
      return refuse(
        400,
        'invalid_instance_tag_data',
        `${HEADERS.instanceTagData} must be base64 of JSON {"force": boolean, "tags": {"name": string}}.`,
      );
    }
    const versionLabel = header(request.headers, HEADERS.versionLabel) ?? null;

    this.#checkIns.push({
      instanceId: target.id,
      appStatus,
      versionLabel,
      instanceName: tagData.name,
      force: tagData.force,
      at: iso(request.at),
    });
    this.#checkIns = this.#checkIns.slice(-MAX_CHECK_INS);
    target.appStatus = appStatus;
    target.versionLabel = versionLabel ?? target.versionLabel;
    target.instanceName = tagData.name ?? target.instanceName;
    if (Object.keys(tagData.tags).length > 0) target.tags = { ...tagData.tags };
    target.lastCheckInAt = request.at;
    return { status: 200, body: {} };
  }

  reset(): void {
    this.#customers.clear();
    this.#instances.clear();
    this.#metricSets.clear();
    this.#events = [];
    this.#checkIns = [];
  }

  snapshot(): Pick<EmulatorState, 'customers' | 'instances' | 'metricSets' | 'events' | 'checkIns'> {
    const customers: CustomerView[] = [...this.#customers.values()].map((c) => ({
      id: c.id,
      email: c.email,
      name: c.name,
      channel: c.channel,
      appSlug: c.appSlug,
      serviceToken: maskSecret(c.serviceToken),
      createdAt: iso(c.createdAt),
      instanceIds: this.#instancesOf(c.id).map((i) => i.id),
    }));
    const instances: InstanceView[] = [...this.#instances.values()].map((i) => ({
      ...i,
      tags: { ...i.tags },
      createdAt: iso(i.createdAt),
      lastMetricsAt: i.lastMetricsAt && iso(i.lastMetricsAt),
      lastCheckInAt: i.lastCheckInAt && iso(i.lastCheckInAt),
    }));
    const metricSets: MetricSetView[] = [...this.#metricSets].map(([instanceId, set]) => ({
      instanceId,
      data: { ...set.data },
      receivedAt: iso(set.receivedAt),
    }));
    return {
      customers,
      instances,
      metricSets,
      events: this.#events.map((e) => ({ ...e })),
      checkIns: this.#checkIns.map((c) => ({ ...c })),
    };
  }

  #isPublishableKey(authorization: string | undefined): boolean {
    const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (key === undefined || !key.startsWith(PUBLISHABLE_KEY_PREFIX)) return false;
    return this.publishableKeys === undefined || this.publishableKeys.includes(key);
  }

  /** The token travels raw, as the vendor expects; `Bearer <token>` is not accepted. */
  #customerOfToken(authorization: string | undefined): CustomerRecord | undefined {
    if (!authorization) return undefined;
    return [...this.#customers.values()].find((c) => c.serviceToken === authorization);
  }

  #instancesOf(customerId: string): InstanceRecord[] {
    return [...this.#instances.values()].filter((i) => i.customerId === customerId);
  }

  #instanceOfRequest(request: VendorRequest): InstanceRecord | VendorReply {
    const customer = this.#customerOfToken(request.headers.authorization);
    if (customer === undefined) return unknownToken();
    const instanceId = header(request.headers, HEADERS.instanceId);
    const instance = instanceId === undefined ? undefined : this.#instances.get(instanceId);
    if (instance === undefined || instance.customerId !== customer.id) {
      return refuse(404, 'unknown_instance', `${HEADERS.instanceId} must name an instance of this customer.`);
    }
    if (header(request.headers, HEADERS.clusterId) === undefined) {
      return refuse(400, 'missing_cluster_id', `${HEADERS.clusterId} is required.`);
    }
    return instance;
  }
}

function unknownToken(): VendorReply {
  return refuse(401, 'unauthorized', 'Unknown service token: send the customer service token raw in Authorization.');
}

function invalidStatus(value: unknown): VendorReply {
  return refuse(
    400,
    'invalid_app_status',
    `Unknown app status ${JSON.stringify(value ?? null)}: use ready, updating, degraded, unavailable or missing.`,
  );
}

function iso(date: Date): string {
  return date.toISOString();
}
