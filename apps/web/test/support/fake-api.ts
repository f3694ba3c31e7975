import { vi } from 'vitest';

/** A request as the fake server saw it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** What a fake route answers: a status and a JSON body; a thrown error becomes a network failure. */
export interface FakeReply {
  status: number;
  body?: unknown;
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/** Routes keyed `METHOD /path` (no query string), each a fixed reply or a function of the request. */
export type FakeRoutes = Record<string, FakeReply | FakeHandler>;

export const json = (status: number, body?: unknown): FakeReply => ({ status, body });

export const networkFailure: FakeHandler = () => {
  throw new TypeError('Failed to fetch');
};

const unanswered: string[] = [];

/** Requests since the last call that no route answered (the test setup fails the test on any). */
export function takeUnansweredRequests(): string[] {
  return unanswered.splice(0);
}

// Every page renders the banner; unless a test says otherwise the license is fine.
const defaultRoutes: FakeRoutes = {
  'GET /api/license-status': json(200, { warn: false, message: '' }),
  // The sign-in page asks how to sign in; unless a test says otherwise, the development sign-in.
  'GET /api/auth/options': json(200, { keycloak: null, devSignIn: 'open' }),
};

/**
 * Replaces `fetch` with a small server that answers by method and path, and records every request,
 * so tests exercise the real API client and query hooks and only the far side is fake.
 */
export function fakeApi(routes: FakeRoutes = {}) {
  const table: FakeRoutes = { ...defaultRoutes, ...routes };
  const requests: FakeRequest[] = [];

  const fetchFake = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://ui.test',
    );
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const request: FakeRequest = { method, path: url.pathname, query: url.searchParams, body };
    requests.push(request);

    const key = `${method} ${url.pathname}`;
    const route = table[key];
    if (!route) {
      unanswered.push(key);
      return new Response(JSON.stringify({ error: 'not_faked', message: `No fake answers ${key}` }), { status: 501 });
    }
    const reply = typeof route === 'function' ? await route(request) : route;
    const text = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchFake);

  return {
    /** Every request so far, in order. */
    requests,
    /** The requests to one route. */
    requestsTo(method: string, path: string): FakeRequest[] {
      return requests.filter((request) => request.method === method && request.path === path);
    },
    /** Replaces or adds routes from now on. */
    answer(more: FakeRoutes): void {
      Object.assign(table, more);
    },
  };
}

export type FakeApi = ReturnType<typeof fakeApi>;
