/**
 * The running server's admin API, as the CLI calls it: `Authorization: Bearer
 * <TELEMETRY_ADMIN_TOKEN>`. Every failure to get an answer becomes a `CannotTell` with a sentence
 * that says what to check; the CLI exits 2 on it.
 */
export class CannotTell extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AdminApiOptions {
  baseUrl: string;
  token: string | undefined;
  timeoutMs: number;
}

export interface AdminAnswer {
  body: unknown;
  headers: Headers;
}

export class AdminApi {
  constructor(private readonly options: AdminApiOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** `timeoutMs` overrides the default for a slow route (the doctor waits on the network). */
  async get(path: string, timeoutMs?: number): Promise<AdminAnswer> {
    return this.call('GET', path, timeoutMs);
  }

  async post(path: string): Promise<AdminAnswer> {
    return this.call('POST', path);
  }

  private async call(method: string, path: string, timeoutOverrideMs?: number): Promise<AdminAnswer> {
    const { token, baseUrl } = this.options;
    const timeoutMs = timeoutOverrideMs ?? this.options.timeoutMs;
    if (!token) {
      throw new CannotTell(
        'no_token',
        'TELEMETRY_ADMIN_TOKEN is not set: export the token the server was started with (chart: telemetry.adminToken).',
      );
    }
    let url: URL;
    try {
      url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    } catch {
      throw new CannotTell('bad_url', `"${baseUrl}" is not a URL: give --url or OPENHANDS_URL as http://host:port.`);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new CannotTell(
        'unreachable',
        `Cannot reach the server at ${baseUrl} (${why}). Is it running? Give its address with --url or OPENHANDS_URL.`,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok && body !== undefined) return { body, headers: response.headers };
    const said = (body as { message?: unknown } | undefined)?.message;
    const message = typeof said === 'string' ? ` ${said}` : '';
    if (response.status === 401) {
      throw new CannotTell(
        'unauthorized',
        `The server refused the token (HTTP 401).${message} Set TELEMETRY_ADMIN_TOKEN to the server's TELEMETRY_ADMIN_TOKEN.`,
      );
    }
    if (response.status === 404) {
      throw new CannotTell(
        'not_found',
        `${url.pathname} does not exist on ${baseUrl} (HTTP 404): is this an OpenHands server of this version or newer?`,
      );
    }
    if (response.ok)
      throw new CannotTell(
        'bad_answer',
        `${url.pathname} answered HTTP ${response.status} without JSON: is ${baseUrl} the OpenHands server?`,
      );
    throw new CannotTell('http_error', `${method} ${url.pathname} failed with HTTP ${response.status}.${message}`);
  }
}
