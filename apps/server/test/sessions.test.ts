import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

// Server-side sessions: a cookie is only as good as its row. Lifetimes here: idle 30 minutes,
// absolute 2 hours (SESSION_IDLE_TIMEOUT_MINUTES, SESSION_MAX_AGE_HOURS), on the server's clock.
describe('sessions', () => {
  let t: TestApp;
  const start = new Date('2026-11-23T12:00:00Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

  beforeAll(async () => {
    t = await createTestApp('pglite', { SESSION_IDLE_TIMEOUT_MINUTES: '30', SESSION_MAX_AGE_HOURS: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  const status = async (cookie: string) => (await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode;

  it('stays alive while used, and ends 30 idle minutes after the last request', async () => {
    t.setNow(at(0));
    const cookie = await signIn(t.app, 'idle@example.com');
    for (const minute of [20, 45, 70]) {
      t.setNow(at(minute));
      expect(await status(cookie)).toBe(200);
    }
    t.setNow(at(100)); // 30 minutes after the request at 70
    expect(await status(cookie)).toBe(401);
  });

  it('ends 2 hours after sign-in however busy the user is', async () => {
    t.setNow(at(0));
    const cookie = await signIn(t.app, 'busy@example.com');
    for (let minute = 10; minute < 120; minute += 10) {
      t.setNow(at(minute));
      expect(await status(cookie)).toBe(200);
    }
    t.setNow(at(120));
    expect(await status(cookie)).toBe(401);
  });

  it('stores only a hash of the token, and sign-out deletes the row', async () => {
    t.setNow(at(0));
    const cookie = await signIn(t.app, 'hash@example.com');
    const token = cookie.split('=')[1]!;
    const { rows } = await t.db.query<{ token_hash: string }>(
      `SELECT s.token_hash FROM user_sessions s JOIN user_settings u ON u.id = s.user_id WHERE u.email = 'hash@example.com'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    const after = await t.db.query(
      `SELECT 1 FROM user_sessions s JOIN user_settings u ON u.id = s.user_id WHERE u.email = 'hash@example.com'`,
    );
    expect(after.rows).toHaveLength(0);
    expect(await status(cookie)).toBe(401);
  });

  it('refuses tokens it never issued, and a signed cookie of the old format', async () => {
    for (const cookie of [
      'oh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'oh_session=1.1700000000.sig',
      'oh_session=',
    ]) {
      expect(await status(cookie)).toBe(401);
    }
  });
});
