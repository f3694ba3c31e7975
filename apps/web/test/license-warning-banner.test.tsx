import { QueryClientProvider } from '@tanstack/react-query';
// fireEvent, not user-event: Testing Library's async wrapper waits on a 0 ms timer between
// user-event steps, and the fake clock never fires it.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LICENSE_STATUS_POLL_MS } from '../src/api/license-status';
import { createQueryClient } from '../src/api/query-client';
import type { User } from '../src/api/types';
import { LicenseWarningBanner } from '../src/components/license-warning-banner';
import { type FakeApi, type FakeRoutes, fakeApi, json, networkFailure } from './support/fake-api';
import { anAdmin, aUser, newUser } from './support/users';

const EXPIRES_IN_30 =
  'Your OpenHands Enterprise license will expire in 30 days. Please contact support if this issue persists.';
const EXPIRES_IN_29 =
  'Your OpenHands Enterprise license will expire in 29 days. Please contact support if this issue persists.';
const warning = (message: string) => json(200, { warn: true, message });
const noWarning = json(200, { warn: false, message: '' });
const signedIn = (user: User | null): FakeRoutes => ({
  'GET /api/me': user ? json(200, { user }) : json(401, { error: 'unauthenticated' }),
});

/** Mounts the banner as a fresh page load does: a new query cache, the first request at mount. */
function loadPage() {
  const view = render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <LicenseWarningBanner />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return view;
}

/** Moves the fake clock by exactly `ms`, running the timers that fall due. */
async function advance(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

/**
 * Lets a response reach the screen. TanStack Query hands results to React from a 0 ms timer, and a
 * timer set while the fake clock is ticking is due 1 ms later; one more millisecond delivers it.
 */
async function settle() {
  await advance(1);
}

/** One hourly poll, answered and rendered. */
async function nextPoll() {
  await advance(LICENSE_STATUS_POLL_MS);
  await settle();
}

function licenseRequests(api: FakeApi) {
  return api.requestsTo('GET', '/api/license-status').length;
}

describe('LicenseWarningBanner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks at mount and renders nothing while the license is fine', async () => {
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': noWarning });
    const { container } = loadPage();
    await settle();

    expect(licenseRequests(api)).toBe(1);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(container).toBeEmptyDOMElement();
  });

  it("shows the server's message verbatim as an alert with a decorative icon", async () => {
    fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(EXPIRES_IN_30);
    expect(alert).toHaveClass('license-banner');
    expect(alert.querySelector('svg')).toHaveAttribute('aria-hidden', 'true');
    // The icon adds nothing to what a screen reader hears: just the message and the button.
    expect(screen.getByText(EXPIRES_IN_30)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Dismiss license warning' })).toBeInTheDocument();
  });

  it('asks again at exactly one hour, and every hour after', async () => {
    expect(LICENSE_STATUS_POLL_MS).toBe(3_600_000);
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': noWarning });
    loadPage();
    await advance(0);
    expect(licenseRequests(api)).toBe(1);

    await advance(3_599_999);
    expect(licenseRequests(api)).toBe(1);
    await advance(1);
    expect(licenseRequests(api)).toBe(2);
    await advance(3_600_000);
    expect(licenseRequests(api)).toBe(3);
  });

  it('stops asking once unmounted', async () => {
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': noWarning });
    const { unmount } = loadPage();
    await settle();
    unmount();

    await advance(5 * 3_600_000);
    expect(licenseRequests(api)).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hides on dismiss for this page view only, without storing anything', async () => {
    fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const cookieBefore = document.cookie;
    const firstView = loadPage();
    await settle();

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss license warning' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // The same answer an hour later does not bring it back within this page view.
    await nextPoll();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage).toHaveLength(0);
    expect(sessionStorage).toHaveLength(0);
    expect(document.cookie).toBe(cookieBefore);

    // A reload while the condition lasts shows it again.
    firstView.unmount();
    loadPage();
    await settle();
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRES_IN_30);
  });

  it('is removed when a later poll says the license is fine', async () => {
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();
    expect(screen.getByRole('alert')).toBeInTheDocument();

    api.answer({ 'GET /api/license-status': noWarning });
    await nextPoll();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('replaces the old message with a new one', async () => {
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();

    api.answer({ 'GET /api/license-status': warning(EXPIRES_IN_29) });
    await nextPoll();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRES_IN_29);
    expect(screen.queryByText(EXPIRES_IN_30)).not.toBeInTheDocument();
  });

  it('shows a new message even after the old one was dismissed, because it is news', async () => {
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss license warning' }));

    const expired = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';
    api.answer({ 'GET /api/license-status': warning(expired) });
    await nextPoll();
    expect(screen.getByRole('alert')).toHaveTextContent(expired);
  });

  it('keeps the last state when a poll fails, and logs once, not on every failure', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();

    api.answer({ 'GET /api/license-status': json(503, { error: 'unavailable', message: 'Try later.' }) });
    await nextPoll();
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRES_IN_30);

    api.answer({ 'GET /api/license-status': networkFailure });
    await nextPoll();
    await nextPoll();
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRES_IN_30);

    expect(licenseRequests(api)).toBe(4);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/license status/);
    expect(error).not.toHaveBeenCalled();
  });

  it('logs again only after a good answer has ended the outage', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': networkFailure });
    loadPage();
    await settle();
    // A failure before any answer: nothing to show, and one line in the log.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(warn).toHaveBeenCalledTimes(1);

    api.answer({ 'GET /api/license-status': noWarning });
    await nextPoll();
    api.answer({ 'GET /api/license-status': networkFailure });
    await nextPoll();
    await nextPoll();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('treats an answer of the wrong shape as a failed poll', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const api = fakeApi({ ...signedIn(aUser()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
    loadPage();
    await settle();

    api.answer({ 'GET /api/license-status': json(200, { warn: 'yes' }) });
    await nextPoll();
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRES_IN_30);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  describe('who can act on it', () => {
    it('gives an admin the way to the diagnosis', async () => {
      fakeApi({ ...signedIn(anAdmin()), 'GET /api/license-status': warning(EXPIRES_IN_30) });
      loadPage();
      await settle();
      await settle();

      const link = screen.getByRole('link', { name: 'See details' });
      expect(link).toHaveAttribute('href', '/admin/telemetry#diagnosis');
      expect(screen.getByRole('alert')).not.toHaveTextContent('administrator');
    });

    it.each([
      ['a user', aUser()],
      ['an admin who has not accepted the Terms yet', newUser({ isAdmin: true })],
      ['someone signed out', null],
    ])('tells %s to contact their administrator, with no link', async (_who, user) => {
      fakeApi({ ...signedIn(user), 'GET /api/license-status': warning(EXPIRES_IN_30) });
      loadPage();
      await settle();
      await settle();

      expect(screen.getByRole('alert')).toHaveTextContent(`${EXPIRES_IN_30} Contact your OpenHands administrator.`);
      expect(screen.queryByRole('link')).not.toBeInTheDocument();
    });
  });
});
