import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { anAdmin, aUser } from './support/users';

describe('admin area', () => {
  it('shows admins the admin area with its navigation and the way to the telemetry page', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: anAdmin() }) });
    renderApp('/admin');

    expect(await findHeading('Admin')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Admin sections' });
    expect(within(nav).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Telemetry' })).toHaveAttribute('href', '/admin/telemetry');
    expect(screen.getByRole('heading', { name: 'Telemetry' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open telemetry' })).toHaveAttribute('href', '/admin/telemetry');
  });

  it('tells everyone else that it is for admins only', async () => {
    fakeApi({ 'GET /api/me': json(200, { user: aUser() }) });
    const { currentPath } = renderApp('/admin');

    expect(await findHeading('Admins only')).toBeInTheDocument();
    expect(currentPath()).toBe('/admin');
    expect(screen.queryByRole('navigation', { name: 'Admin sections' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Open telemetry' })).not.toBeInTheDocument();
  });

  it('links to the admin area from the header for admins only', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: anAdmin() }),
      'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
    });
    const { user, currentPath } = renderApp('/conversations');
    await user.click(await screen.findByRole('link', { name: 'Admin' }));

    expect(await findHeading('Admin')).toBeInTheDocument();
    expect(currentPath()).toBe('/admin');
  });

  it('has no admin link for other users', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: aUser() }),
      'GET /api/conversations': json(200, { conversations: [], nextCursor: null }),
    });
    renderApp('/conversations');
    await findHeading('Conversations');

    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
  });
});
