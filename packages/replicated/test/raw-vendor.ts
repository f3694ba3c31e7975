import { FINGERPRINT, PUBLISHABLE_KEY } from './helpers.js';

/** Talks to the emulator with plain fetch, as a vendor client would, so that its rules are tested without our client. */
export function rawVendor(baseUrl: () => string) {
  async function post(
    path: string,
    options: { authorization?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl()}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.authorization === undefined ? {} : { Authorization: options.authorization }),
        ...options.headers,
      },
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function newCustomer(email = 'admin@example.com') {
    const answer = await post('/v3/customer', {
      authorization: `Bearer ${PUBLISHABLE_KEY}`,
      body: { email_address: email, channel: 'Stable', name: null, app_slug: 'openhands-enterprise' },
    });
    return answer.body['customer'] as { id: string; serviceToken: string; instanceId?: string };
  }

  async function newInstance() {
    const customer = await newCustomer();
    const answer = await post('/v3/instance', {
      authorization: customer.serviceToken,
      body: { machine_fingerprint: FINGERPRINT, app_status: 'missing' },
    });
    return { token: customer.serviceToken, instanceId: answer.body['instance_id'] as string };
  }

  function sendMetrics(token: string, instanceId: string, body: unknown) {
    return post('/application/custom-metrics', { authorization: token, headers: instanceHeaders(instanceId), body });
  }

  return { post, newCustomer, newInstance, sendMetrics };
}

export function instanceHeaders(instanceId: string, extra: Record<string, string> = {}) {
  return { 'X-Replicated-InstanceID': instanceId, 'X-Replicated-ClusterID': FINGERPRINT, ...extra };
}

export function tagData(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}
