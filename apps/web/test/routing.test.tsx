import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { anAdmin, aUser, newUser } from './support/users';

const signedOut = { 'GET /api/me': json(401, { error: 'unauthenticated', message: 'Sign in first.' }) };
const noConversations = { 'GET /api/conversations': json(200, { conversations: [], nextCursor: null }) };

describe('routing rules', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(['/', '/conversations', '/terms', '/admin'])(
    'sends the signed out from %s to the sign-in page',
    async (path) => {
      fakeApi(signedOut);
      const { currentPath } = renderApp(path);

      expect(await findHeading('Development sign-in')).toBeInTheDocument();
      expect(currentPath()).toBe('/sign-in');
    },
  );

  it.each(['/', '/conversations', '/admin'])(
    'sends the signed in from %s to the Terms until accepted',
    async (path) => {
      fakeApi({ 'GET /api/me': json(200, { user: newUser({ isAdmin: true }) }) });
      const { currentPath } = renderApp(path);

      expect(await findHeading('Terms of Service')).toBeInTheDocument();
      expect(currentPath()).toBe('/terms');
    },
  );

  it('opens / on the conversations once the Terms are accepted', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: aUser() }), ...noConversations });
    const { currentPath } = renderApp('/');

    expect(await findHeading('Conversations')).toBeInTheDocument();
    expect(currentPath()).toBe('/conversations');
  });

  it('takes the signed in away from the sign-in page', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: aUser() }), ...noConversations });
    const { currentPath } = renderApp('/sign-in');

    expect(await findHeading('Conversations')).toBeInTheDocument();
    expect(currentPath()).toBe('/conversations');
  });

  it('returns to the page first asked for after signing in', async () => {
    let me: unknown = null;
    fakeApi({
      'GET /api/me': () => (me ? json(200, { user: me }) : json(401, { error: 'unauthenticated' })),
      'POST /api/auth/dev-sign-in': () => {
        me = anAdmin();
        return json(200, { user: me });
      },
    });
    const { user, currentPath } = renderApp('/admin');
    await findHeading('Development sign-in');
    await user.type(screen.getByRole('textbox', { name: 'Email address' }), 'root@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await findHeading('Admin')).toBeInTheDocument();
    expect(currentPath()).toBe('/admin');
  });

  it('signs out and goes to the sign-in page', async () => {
    const api = fakeApi({
      'GET /api/me': json(200, { user: aUser() }),
      'POST /api/auth/sign-out': json(204),
      ...noConversations,
    });
    const { user, currentPath } = renderApp('/conversations');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await findHeading('Development sign-in')).toBeInTheDocument();
    expect(currentPath()).toBe('/sign-in');
    expect(api.requestsTo('POST', '/api/auth/sign-out')).toHaveLength(1);
    expect(screen.queryByText('ada@example.com')).not.toBeInTheDocument();
  });

  it('goes to the sign-in page when the session ends under an open page', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: aUser() }),
      'GET /api/conversations': json(401, { error: 'unauthenticated', message: 'Sign in first.' }),
    });
    const { currentPath } = renderApp('/conversations');

    expect(await findHeading('Development sign-in')).toBeInTheDocument();
    expect(currentPath()).toBe('/sign-in');
  });

  it('explains when the session cannot be checked, and tries again on request', async () => {
    // The query client retries a 5xx twice with back-off; the fake clock runs through it.
    vi.useFakeTimers();
    let attempts = 0;
    fakeApi({
      'GET /api/me': () => {
        attempts += 1;
        return attempts <= 3 ? json(502) : json(200, { user: aUser() });
      },
      ...noConversations,
    });
    renderApp('/conversations');
    await act(() => vi.advanceTimersByTimeAsync(10_000));

    const alert = screen.getByRole('alert');
    expect(attempts).toBe(3);
    expect(alert).toHaveTextContent('We could not check your session');
    expect(alert).toHaveTextContent(/OpenHands server ran into a problem/);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await act(() => vi.advanceTimersByTimeAsync(10));
    vi.useRealTimers();
    expect(await findHeading('Conversations')).toBeInTheDocument();
  });

  it('has a page for addresses that do not exist', async () => {
    fakeApi(signedOut);
    renderApp('/no/such/page');

    expect(await findHeading('Page not found')).toBeInTheDocument();
  });
});
