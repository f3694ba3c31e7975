import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { anAdmin, aUser, newUser } from './support/users';

const WARNING = 'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
const warning = { 'GET /api/license-status': json(200, { warn: true, message: WARNING }) };

describe('root layout', () => {
  it.each([
    ['the sign-in page', '/sign-in', { 'GET /api/me': json(401, { error: 'unauthenticated' }) }, 'Development sign-in'],
    ['the Terms page', '/terms', { 'GET /api/me': json(200, { user: newUser() }) }, 'Terms of Service'],
    [
      'the conversations page',
      '/conversations',
      {
        'GET /api/me': json(200, { user: aUser() }),
        'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
      },
      'Conversations',
    ],
    ['a missing page', '/nowhere', { 'GET /api/me': json(200, { user: aUser() }) }, 'Page not found'],
  ])('puts the license banner at the very top of %s', async (_name, path, routes, heading) => {
    fakeApi({ ...warning, ...routes });
    const { container } = renderApp(path);
    await findHeading(heading);

    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent(WARNING);
    // Only the skip link (out of sight until focused) comes before it.
    const [skipLink, second] = Array.from(container.querySelector('.app')?.children ?? []);
    expect(skipLink).toHaveTextContent('Skip to content');
    expect(second).toBe(banner);
  });

  it('puts "Skip to content" first in the tab order, the banner\'s links and dismiss button after it', async () => {
    fakeApi({
      ...warning,
      'GET /api/me': json(200, { user: anAdmin() }),
      'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
    });
    const { user } = renderApp('/conversations');
    await findHeading('Conversations');
    await screen.findByRole('link', { name: 'See details' });

    await user.tab();
    expect(screen.getByRole('link', { name: 'Skip to content' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('link', { name: 'See details' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Dismiss license warning' })).toHaveFocus();
  });

  it('has a header with the product name, the user, sign-out and no banner while the license is fine', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: aUser({ email: 'grace@example.com' }) }),
      'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
    });
    renderApp('/conversations');
    await findHeading('Conversations');

    const header = screen.getByRole('banner');
    expect(within(header).getByRole('link', { name: 'OpenHands Enterprise' })).toHaveAttribute('href', '/');
    expect(within(header).getByText('grace@example.com')).toBeInTheDocument();
    expect(within(header).getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows only the product name to the signed out', async () => {
    fakeApi({ 'GET /api/me': json(401, { error: 'unauthenticated' }) });
    renderApp('/sign-in');
    await findHeading('Development sign-in');

    const header = screen.getByRole('banner');
    expect(within(header).getByText('OpenHands Enterprise')).toBeInTheDocument();
    expect(within(header).queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });
});
