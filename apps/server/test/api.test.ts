import { TEST_BACKENDS } from '@openhands/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, signIn, type TestApp } from './support/test-app.js';

describe.each(TEST_BACKENDS)('the host API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs a person in, asks for the Terms once, then lists and creates conversations', async () => {
    const signInResponse = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-sign-in',
      payload: { email: '  grace@example.com ' },
    });
    expect(signInResponse.statusCode).toBe(200);
    const cookie = sessionCookie(signInResponse);
    expect(signInResponse.json().user).toMatchObject({ email: 'grace@example.com', acceptedTosAt: null });

    const before = await t.app.inject({ url: '/api/conversations', headers: { cookie } });
    expect(before.statusCode).toBe(403);
    expect(before.json()).toMatchObject({ error: 'tos_required' });

    t.setNow(new Date('2026-11-23T12:05:00Z'));
    const accepted = await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    expect(accepted.json().user.acceptedTosAt).toBe('2026-11-23T12:05:00.000Z');
    t.setNow(new Date('2026-11-23T12:09:00Z'));
    const again = await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    expect(again.json().user.acceptedTosAt).toBe('2026-11-23T12:05:00.000Z'); // the first acceptance stays

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/conversations',
      headers: { cookie },
      payload: { title: 'Upgrade the parser', llmModel: 'gpt-5' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().conversation).toMatchObject({
      title: 'Upgrade the parser',
      llmModel: 'gpt-5',
      trigger: 'gui',
    });

    const list = await t.app.inject({ url: '/api/conversations', headers: { cookie } });
    expect(list.json().conversations.map((c: { title: string }) => c.title)).toEqual(['Upgrade the parser']);
  });

  it('signs the same email in as the same user, whatever its case', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-sign-in',
      payload: { email: 'Lin@Example.com' },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-sign-in',
      payload: { email: 'lin@example.com' },
    });
    expect(a.json().user.id).toBe(b.json().user.id);
  });

  it('pages through conversations newest first without skipping equal times', async () => {
    const cookie = await signIn(t.app, 'pager@example.com');
    t.setNow(new Date('2026-11-23T13:00:00Z')); // all five share one timestamp
    for (let i = 1; i <= 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/conversations',
        headers: { cookie },
        payload: { title: `c${i}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ url, headers: { cookie } })).json();
      seen.push(...page.conversations.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('keeps each user to their own conversations', async () => {
    const alice = await signIn(t.app, 'alice@example.com');
    const bob = await signIn(t.app, 'bob@example.com');
    await t.app.inject({
      method: 'POST',
      url: '/api/conversations',
      headers: { cookie: alice },
      payload: { title: 'mine' },
    });
    const bobs = (await t.app.inject({ url: '/api/conversations', headers: { cookie: bob } })).json();
    expect(bobs.conversations).toEqual([]);
  });

  it('signs out by clearing the cookie', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out' });
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((c) => c.name === 'oh_session')?.value).toBe('');
  });

  describe('bad input answers 4xx with a message, never 500', () => {
    const cases: Array<
      [string, { method: 'POST' | 'GET'; url: string; payload?: string; contentType?: string }, number, string]
    > = [
      [
        'not JSON',
        { method: 'POST', url: '/api/auth/dev-sign-in', payload: '{bad', contentType: 'application/json' },
        400,
        'invalid_json',
      ],
      [
        'an empty JSON body',
        { method: 'POST', url: '/api/auth/dev-sign-in', payload: '', contentType: 'application/json' },
        400,
        'invalid_json',
      ],
      [
        'no email',
        { method: 'POST', url: '/api/auth/dev-sign-in', payload: '{}', contentType: 'application/json' },
        400,
        'invalid_request',
      ],
      [
        'an email that is an object',
        { method: 'POST', url: '/api/auth/dev-sign-in', payload: '{"email":{"a":1}}', contentType: 'application/json' },
        400,
        'invalid_request',
      ],
      [
        'not an email',
        {
          method: 'POST',
          url: '/api/auth/dev-sign-in',
          payload: '{"email":"nobody"}',
          contentType: 'application/json',
        },
        400,
        'invalid_email',
      ],
      [
        'a JSON array',
        { method: 'POST', url: '/api/auth/dev-sign-in', payload: '[1]', contentType: 'application/json' },
        400,
        'invalid_request',
      ],
      [
        'a body of another type',
        {
          method: 'POST',
          url: '/api/auth/dev-sign-in',
          payload: 'email=a@b.c',
          contentType: 'application/x-www-form-urlencoded',
        },
        415,
        'unsupported_media_type',
      ],
      [
        'a body too large',
        {
          method: 'POST',
          url: '/api/auth/dev-sign-in',
          payload: JSON.stringify({ email: 'x'.repeat(70_000) }),
          contentType: 'application/json',
        },
        413,
        'body_too_large',
      ],
      ['an unknown API route', { method: 'GET', url: '/api/nothing-here' }, 404, 'not_found'],
    ];
    it.each(cases)('%s', async (_name, request, status, code) => {
      const response = await t.app.inject({
        method: request.method,
        url: request.url,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
        headers: request.contentType ? { 'content-type': request.contentType } : {},
      });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ error: code, message: expect.any(String) });
    });

    it('a conversation without a title, with a blank one, or one too long', async () => {
      const cookie = await signIn(t.app, 'titles@example.com');
      for (const payload of [{}, { title: '   ' }, { title: 'x'.repeat(201) }, { title: 'ok', llmModel: '' }]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/conversations',
          headers: { cookie },
          payload,
        });
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().message).toEqual(expect.any(String));
      }
    });

    it('a page size out of range or a forged cursor', async () => {
      const cookie = await signIn(t.app, 'cursor@example.com');
      for (const url of [
        '/api/conversations?limit=0',
        '/api/conversations?limit=abc',
        '/api/conversations?cursor=forged',
      ]) {
        const response = await t.app.inject({ url, headers: { cookie } });
        expect(response.statusCode, url).toBe(400);
      }
    });

    it('a forged or tampered session cookie counts as signed out', async () => {
      const cookie = await signIn(t.app, 'tamper@example.com');
      const [, value] = cookie.split('=');
      const tampered = `oh_session=${value!.slice(0, -1)}${value!.endsWith('A') ? 'B' : 'A'}`;
      for (const c of [tampered, 'oh_session=1.1', 'oh_session=']) {
        const response = await t.app.inject({ url: '/api/me', headers: { cookie: c } });
        expect(response.statusCode, c).toBe(401);
      }
    });
  });
});

describe.each(TEST_BACKENDS)('who is the admin, on %s', (kind) => {
  it('is the first user to accept the Terms, ties broken by id, or the configured email', async () => {
    const t = await createTestApp(kind);
    try {
      const late = await signIn(t.app, 'late@example.com', false);
      const early = await signIn(t.app, 'early@example.com', false);
      t.setNow(new Date('2026-11-23T12:00:00Z'));
      await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie: early } });
      t.setNow(new Date('2026-11-23T12:01:00Z'));
      await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie: late } });
      expect((await t.app.inject({ url: '/api/me', headers: { cookie: early } })).json().user.isAdmin).toBe(true);
      expect((await t.app.inject({ url: '/api/me', headers: { cookie: late } })).json().user.isAdmin).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('follows OPENHANDS_ADMIN_EMAIL when set, case-insensitively', async () => {
    const t = await createTestApp(kind, { OPENHANDS_ADMIN_EMAIL: 'Boss@Example.com' });
    try {
      const first = await signIn(t.app, 'first@example.com');
      const boss = await signIn(t.app, 'boss@example.com');
      expect((await t.app.inject({ url: '/api/me', headers: { cookie: first } })).json().user.isAdmin).toBe(false);
      expect((await t.app.inject({ url: '/api/me', headers: { cookie: boss } })).json().user.isAdmin).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('tells listeners of the first acceptance only', async () => {
    const t = await createTestApp(kind);
    try {
      const heard: string[] = [];
      t.ctx.events.onTermsAccepted((user) => heard.push(user.email ?? ''));
      const cookie = await signIn(t.app, 'once@example.com');
      await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
      expect(heard).toEqual(['once@example.com']);
    } finally {
      await t.close();
    }
  });
});
