import { type Dispatcher, EnvHttpProxyAgent } from 'undici';
import {
  type AppStatus,
  DEFAULT_BASE_URL,
  encodeInstanceTagData,
  HEADERS,
  type MetricValue,
  PATHS,
  PUBLISHABLE_KEY_PREFIX,
} from '../protocol.js';
import { CLIENT_VERSION } from '../version.js';
import { ReplicatedInvalidResponseError, ReplicatedValidationError } from './errors.js';
import { postJson, type Transport } from './http.js';
import { ArgumentCheck } from './validation.js';

export interface ReplicatedClientOptions {
  /** The vendor endpoint. Default `https://replicated.app`; a path prefix is kept. */
  baseUrl?: string;
  /** The vendor's publishable key (`replicated_pk_…`), sent only to get or create the customer. */
  publishableKey: string;
  /** The application slug, e.g. `openhands-enterprise`. */
  appSlug: string;
  /** Limit for each whole request, answer body included. Default 30 000 (as the Python SDK). */
  timeoutMs?: number;
  /** Replaces the default `Replicated-SDK/<version>+node`; keep that form, the vendor parses the version from it. */
  userAgent?: string;
  /**
   * Where requests go through. Default: an undici `EnvHttpProxyAgent` built from `HTTPS_PROXY`,
   * `HTTP_PROXY` and `NO_PROXY` (lower case wins, as in curl) as they are at construction. A dispatcher
   * passed here belongs to the caller: `close()` leaves it open.
   */
  dispatcher?: Dispatcher;
}

export interface CreateCustomerInput {
  email: string;
  /** Default `Stable`. */
  channel?: string;
  /** Default `null`. */
  name?: string | null;
  signal?: AbortSignal;
}

export interface Customer {
  customerId: string;
  email: string;
  name: string | null;
  /** Sent raw as `Authorization` on every later call. A secret: never log it. */
  serviceToken: string;
  /** Present when the customer already has an instance; otherwise call `createInstance`. */
  instanceId: string | undefined;
}

export interface CreateInstanceInput {
  serviceToken: string;
  /** 64 hex characters, see `machineFingerprint()`. */
  machineFingerprint: string;
  /** Default `missing`. */
  appStatus?: AppStatus;
  signal?: AbortSignal;
}

export interface SendMetricsInput {
  serviceToken: string;
  instanceId: string;
  /** The machine fingerprint. */
  clusterId: string;
  /** Default `ready`. */
  appStatus?: AppStatus;
  /** The whole set: the vendor replaces everything it holds for the instance with it. */
  data: Record<string, MetricValue>;
  signal?: AbortSignal;
}

export interface CheckInInput {
  serviceToken: string;
  instanceId: string;
  /** The machine fingerprint. */
  clusterId: string;
  appStatus: AppStatus;
  /** The application version, shown by the vendor as the instance's version. */
  versionLabel: string;
  /** Shown by the vendor as the instance's name. */
  instanceName: string;
  /** Default `false`. */
  force?: boolean;
  /** More instance tags beside the name, e.g. `{ copied_from_instance: "<id>" }`. */
  tags?: Record<string, string>;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A client of Replicated's publishable-key protocol. It keeps no state between calls: the caller
 * stores the customer, token and instance (the engine keeps them in `telemetry_identity`), decides
 * when to redo them and when to retry (see `vendorVerdict`). Every call has a timeout and can be
 * aborted through `signal`.
 */
export class ReplicatedClient {
  readonly #transport: Transport;
  readonly #publishableKey: string;
  readonly #appSlug: string;
  readonly #ownsDispatcher: boolean;

  constructor(options: ReplicatedClientOptions) {
    const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const origin = checkOptions(options, baseUrl, timeoutMs);

    this.#publishableKey = options.publishableKey;
    this.#appSlug = options.appSlug;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#transport = {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      origin,
      timeoutMs,
      userAgent: options.userAgent ?? `Replicated-SDK/${CLIENT_VERSION}+node`,
      dispatcher: options.dispatcher ?? proxyAgentFromEnvironment(process.env),
    };
  }

  /** Gets or creates the customer of this email; the vendor answers the same customer for the same email. */
  async createCustomer(input: CreateCustomerInput): Promise<Customer> {
    const { email, channel = 'Stable', name = null, signal } = input;
    const check = new ArgumentCheck('customer request').text('email', email).text('channel', channel);
    if (name !== null) check.text('name', name);
    check.done();

    const answer = await postJson(this.#transport, {
      path: PATHS.customer,
      headers: { Authorization: `Bearer ${this.#publishableKey}` },
      body: { email_address: email, channel, name, app_slug: this.#appSlug },
      signal,
      secrets: [this.#publishableKey],
    });

    const operation = `POST ${PATHS.customer}`;
    const customer = answer.body['customer'];
    if (typeof customer !== 'object' || customer === null) {
      throw new ReplicatedInvalidResponseError(operation, answer.status, 'a `customer` object');
    }
    const fields = customer as Record<string, unknown>;
    const customerId = nonEmptyString(fields['id']);
    if (customerId === undefined) throw new ReplicatedInvalidResponseError(operation, answer.status, '`customer.id`');
    // The Python SDK's precedence: a top-level dynamic token replaces the customer's service token.
    const serviceToken = nonEmptyString(answer.body['dynamic_token']) ?? nonEmptyString(fields['serviceToken']);
    if (serviceToken === undefined) {
      throw new ReplicatedInvalidResponseError(operation, answer.status, '`dynamic_token` or `customer.serviceToken`');
    }
    return {
      customerId,
      email: nonEmptyString(fields['email']) ?? email,
      name: typeof fields['name'] === 'string' || fields['name'] === null ? fields['name'] : name,
      serviceToken,
      instanceId: nonEmptyString(fields['instanceId']),
    };
  }

  /** Creates the instance of this machine; call it only when the customer answer had no `instanceId`. */
  async createInstance(input: CreateInstanceInput): Promise<{ instanceId: string }> {
    const { serviceToken, machineFingerprint, appStatus = 'missing', signal } = input;
    new ArgumentCheck('instance request')
      .headerText('serviceToken', serviceToken)
      .text('machineFingerprint', machineFingerprint)
      .appStatus('appStatus', appStatus)
      .done();

    const answer = await postJson(this.#transport, {
      path: PATHS.instance,
      headers: { Authorization: serviceToken },
      body: { machine_fingerprint: machineFingerprint, app_status: appStatus },
      signal,
      secrets: [serviceToken, this.#publishableKey],
    });
    const instanceId = nonEmptyString(answer.body['instance_id']);
    if (instanceId === undefined) {
      throw new ReplicatedInvalidResponseError(`POST ${PATHS.instance}`, answer.status, '`instance_id`');
    }
    return { instanceId };
  }

  /** Sends the whole metric set in one request; invalid data is refused before anything is sent. */
  async sendMetrics(input: SendMetricsInput): Promise<void> {
    const { serviceToken, instanceId, clusterId, appStatus = 'ready', data, signal } = input;
    new ArgumentCheck('metrics request')
      .headerText('serviceToken', serviceToken)
      .headerText('instanceId', instanceId)
      .headerText('clusterId', clusterId)
      .appStatus('appStatus', appStatus)
      .metrics(data)
      .done();

    await postJson(this.#transport, {
      path: PATHS.customMetrics,
      headers: {
        Authorization: serviceToken,
        [HEADERS.instanceId]: instanceId,
        [HEADERS.clusterId]: clusterId,
        [HEADERS.appStatus]: appStatus,
      },
      body: { data },
      signal,
      secrets: [serviceToken, this.#publishableKey],
    });
  }

  /** Reports the instance's status, version and name; the vendor marks an instance inactive after 24 h without one. */
  async checkIn(input: CheckInInput): Promise<void> {
    const { serviceToken, instanceId, clusterId, appStatus, versionLabel, instanceName, force = false, signal } = input;
    const tags = { ...input.tags, name: instanceName };
    new ArgumentCheck('check-in request')
      .headerText('serviceToken', serviceToken)
      .headerText('instanceId', instanceId)
      .headerText('clusterId', clusterId)
      .appStatus('appStatus', appStatus)
      .headerText('versionLabel', versionLabel)
      .text('instanceName', instanceName)
      .boolean('force', force)
      .done();

    await postJson(this.#transport, {
      path: PATHS.checkIn,
      headers: {
        Authorization: serviceToken,
        [HEADERS.instanceId]: instanceId,
        [HEADERS.clusterId]: clusterId,
        [HEADERS.appStatus]: appStatus,
        [HEADERS.versionLabel]: versionLabel,
        [HEADERS.instanceTagData]: encodeInstanceTagData({ force, tags }),
      },
      body: {},
      signal,
      secrets: [serviceToken, this.#publishableKey],
    });
  }

  /** The endpoint requests go to, without a trailing slash. */
  get baseUrl(): string {
    return this.#transport.baseUrl;
  }

  /** Closes the connections this client opened. A dispatcher passed in the options is left to its owner. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#transport.dispatcher.close();
  }
}

/** Returns the origin for messages; throws when an option cannot work. */
function checkOptions(options: ReplicatedClientOptions, baseUrl: string, timeoutMs: number): string {
  const issues: string[] = [];
  let origin = '';
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') issues.push('baseUrl must be an http or https URL');
    origin = url.origin;
  } catch {
    issues.push('baseUrl must be an absolute URL such as https://replicated.app');
  }
  if (typeof options.publishableKey !== 'string' || !options.publishableKey.startsWith(PUBLISHABLE_KEY_PREFIX)) {
    issues.push(`publishableKey must be a publishable key starting with ${PUBLISHABLE_KEY_PREFIX}`);
  }
  if (typeof options.appSlug !== 'string' || options.appSlug.trim().length === 0) {
    issues.push('appSlug must be a non-empty string');
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) issues.push('timeoutMs must be a positive whole number');
  if (issues.length > 0) throw new ReplicatedValidationError('Replicated client options', issues);
  return origin;
}

/** Reads the proxy settings once, so that the client's behaviour does not change under it. */
function proxyAgentFromEnvironment(env: NodeJS.ProcessEnv): Dispatcher {
  return new EnvHttpProxyAgent({
    httpProxy: env['http_proxy'] || env['HTTP_PROXY'] || undefined,
    httpsProxy: env['https_proxy'] || env['HTTPS_PROXY'] || undefined,
    noProxy: env['no_proxy'] || env['NO_PROXY'] || '',
  });
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
