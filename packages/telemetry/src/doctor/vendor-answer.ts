import type { DoctorCheck } from './report.js';
import { TROUBLESHOOTING } from './report.js';

export interface ProbeAnswer {
  status: number;
  contentType: string;
  body: string;
  location?: string | undefined;
}

/**
 * What the doctor's probe (a check-in without credentials) tells about the path to the vendor.
 * The vendor answers it with its own JSON: 401 is the expected answer, and any JSON answer proves
 * the path works; anything else is someone else answering in the vendor's place (DECISIONS §2).
 */
export function judgeVendorAnswer(answer: ProbeAnswer): Omit<DoctorCheck, 'id'> {
  const { status } = answer;
  if (status >= 300 && status < 400) {
    return {
      status: 'fail',
      summary: `HTTP ${status}, a redirect to ${answer.location ?? 'an unknown place'}: the vendor never redirects, so a proxy or captive portal answered in its place.`,
      fix: 'Let the server reach the vendor without a login page: allow the vendor host on the proxy or firewall, or set the proxy the network requires (HTTPS_PROXY).',
      docs: TROUBLESHOOTING.notTheVendor,
    };
  }
  const json = parseJsonObject(answer);
  if (!json) {
    const kind = answer.contentType.split(';')[0]?.trim() || 'no content type';
    return {
      status: 'fail',
      summary: `HTTP ${status} with ${kind}${pageTitle(answer.body)}, not the vendor's JSON: a proxy, gateway or captive portal answered in the vendor's place.`,
      fix: 'Find which device answers (the title above often names it) and let the server through it to the vendor, or set the proxy the network requires (HTTPS_PROXY).',
      docs: TROUBLESHOOTING.notTheVendor,
    };
  }
  const said = typeof json['message'] === 'string' ? `: "${truncate(json['message'], 160)}"` : '';
  if (status === 401 || (status >= 200 && status < 300)) {
    return {
      status: 'ok',
      summary: `The vendor answered with its own JSON (HTTP ${status}${status === 401 ? ', as expected without credentials' : ''}).`,
    };
  }
  if (status === 403) {
    return {
      status: 'fail',
      summary: `The vendor refused (HTTP 403${said}): it says this license is expired or this customer is not allowed.`,
      fix: 'Contact the vendor with the message above; retrying will not help.',
      docs: TROUBLESHOOTING.vendorError,
    };
  }
  if (status === 429) {
    return {
      status: 'warn',
      summary: `The vendor rate-limits this address (HTTP 429${said}).`,
      fix: 'Nothing to do: the server waits as long as the vendor asks (Retry-After).',
      docs: TROUBLESHOOTING.vendorError,
    };
  }
  if (status >= 500) {
    return {
      status: 'warn',
      summary: `The vendor has a failure of its own (HTTP ${status}${said}).`,
      fix: 'Nothing to do: the server retries with back-off. If it lasts more than a day, tell the vendor.',
      docs: TROUBLESHOOTING.vendorError,
    };
  }
  return {
    status: 'warn',
    summary: `The vendor answered HTTP ${status}${said}.`,
    fix: 'Check that the endpoint (REPLICATED_API_URL) is the vendor API, then tell the vendor with this message.',
    docs: TROUBLESHOOTING.vendorError,
  };
}

function parseJsonObject(answer: ProbeAnswer): Record<string, unknown> | undefined {
  if (!/\bjson\b/i.test(answer.contentType)) return undefined;
  try {
    const value: unknown = JSON.parse(answer.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function pageTitle(body: string): string {
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body)?.[1]?.trim();
  return title ? ` (page title "${truncate(title, 80)}")` : '';
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
