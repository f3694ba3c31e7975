import { API_ERROR_MESSAGES, ApiError, fallbackMessage } from './errors';

type Method = 'GET' | 'POST';

/**
 * One JSON request to the server. The session travels in a cookie on the same origin. Resolves
 * with the parsed body (undefined for 204) or rejects with an ApiError that carries a sentence
 * fit to show.
 */
export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', API_ERROR_MESSAGES.network_error, { cause });
  }

  if (response.status === 204) return undefined as T;
  const parsed = await readJson(response);

  if (!response.ok) {
    const { error, message } = (parsed.ok && isRecord(parsed.value) ? parsed.value : {}) as Record<string, unknown>;
    const code = typeof error === 'string' ? error : response.status >= 500 ? 'server_error' : 'invalid_request';
    const sentence = typeof message === 'string' && message.trim() ? message : fallbackMessage(code, response.status);
    throw new ApiError(response.status, code, sentence);
  }
  if (!parsed.ok) throw new ApiError(response.status, 'bad_response', API_ERROR_MESSAGES.bad_response);
  return parsed.value as T;
}

async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await response.json() };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
