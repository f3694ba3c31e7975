import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { aConversation, aUser, newUser } from './support/users';

describe('Terms page', () => {
  it('says plainly what is reported to the vendor and where the list is', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: newUser() }) });
    renderApp('/terms');

    expect(await findHeading('Terms of Service')).toBeInTheDocument();
    expect(
      screen.getByText(/reports usage metrics to the vendor, together with the administrator's email address/),
    ).toBeInTheDocument();
    // Served by the product itself, generated from the collectors like docs/metrics.md.
    expect(screen.getByRole('link', { name: 'metrics dictionary' })).toHaveAttribute('href', '/docs/metrics');
    expect(screen.getByRole('button', { name: 'Accept' })).toBeInTheDocument();
  });

  it('accepts through the API and moves on to the conversations', async () => {
    const api = fakeApi({
      'GET /api/me': json(200, { user: newUser() }),
      'POST /api/tos/accept': json(200, { user: aUser() }),
      'GET /api/conversations': json(200, { conversations: [aConversation()], nextCursor: null }),
    });
    const { user, currentPath } = renderApp('/terms');
    await user.click(await screen.findByRole('button', { name: 'Accept' }));

    expect(await findHeading('Conversations')).toBeInTheDocument();
    expect(currentPath()).toBe('/conversations');
    expect(api.requestsTo('POST', '/api/tos/accept')).toHaveLength(1);
    expect(await screen.findByText('Fix the flaky login test')).toBeInTheDocument();
  });

  it('returns to the page first asked for', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: newUser({ isAdmin: true }) }),
      'POST /api/tos/accept': json(200, { user: aUser({ isAdmin: true }) }),
    });
    const { user, currentPath } = renderApp('/admin');
    await user.click(await screen.findByRole('button', { name: 'Accept' }));

    expect(await findHeading('Admin')).toBeInTheDocument();
    expect(currentPath()).toBe('/admin');
  });

  it('shows a failed acceptance in words and stays', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: newUser() }),
      'POST /api/tos/accept': json(503, { error: 'unavailable', message: 'The database is starting. Try again.' }),
    });
    const { user, currentPath } = renderApp('/terms');
    await user.click(await screen.findByRole('button', { name: 'Accept' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The database is starting. Try again.');
    expect(currentPath()).toBe('/terms');
  });

  it('lets someone who already accepted read them again', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: aUser() }) });
    renderApp('/terms');

    expect(await findHeading('Terms of Service')).toBeInTheDocument();
    expect(screen.getByText(/You accepted these terms on/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Accept' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Continue' })).toHaveAttribute('href', '/conversations');
  });
});
