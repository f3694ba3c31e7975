import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, networkFailure } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import { newUser } from './support/users';

const signedOut = { 'GET /api/me': json(401, { error: 'unauthenticated', message: 'Sign in first.' }) };

describe('sign-in page', () => {
  it('says plainly that it is the development sign-in', async () => {
    fakeApi(signedOut);
    renderApp('/sign-in');

    expect(await findHeading('Development sign-in')).toBeInTheDocument();
    expect(screen.getByText(/real product signs you in through Keycloak/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Email address' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('asks for an email address before sending anything', async () => {
    const api = fakeApi(signedOut);
    const { user } = renderApp('/sign-in');
    await findHeading('Development sign-in');
    const email = screen.getByRole('textbox', { name: 'Email address' });

    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(email).toBeInvalid();
    expect(email).toHaveAccessibleDescription('Enter your email address.');
    expect(email).toHaveFocus();

    await user.type(email, 'ada.example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(email).toHaveAccessibleDescription('Enter an email address such as name@example.com.');
    expect(api.requestsTo('POST', '/api/auth/dev-sign-in')).toHaveLength(0);
  });

  it("ties the server's invalid_email message to the field", async () => {
    fakeApi({
      ...signedOut,
      'POST /api/auth/dev-sign-in': json(400, {
        error: 'invalid_email',
        message: 'Use an address at a domain this installation accepts.',
      }),
    });
    const { user } = renderApp('/sign-in');
    await findHeading('Development sign-in');
    const email = screen.getByRole('textbox', { name: 'Email address' });

    await user.type(email, 'ada@example.invalid');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByText('Use an address at a domain this installation accepts.');
    expect(email).toBeInvalid();
    expect(email).toHaveAccessibleDescription('Use an address at a domain this installation accepts.');
  });

  it('shows other failures in words above the button', async () => {
    const api = fakeApi({ ...signedOut, 'POST /api/auth/dev-sign-in': json(500, { error: 'internal' }) });
    const { user } = renderApp('/sign-in');
    await findHeading('Development sign-in');
    await user.type(screen.getByRole('textbox', { name: 'Email address' }), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(/OpenHands server ran into a problem/);

    api.answer({ 'POST /api/auth/dev-sign-in': networkFailure });
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/Could not reach the OpenHands server/)).toBeInTheDocument();
  });

  it('signs in with the trimmed address and moves on to the Terms', async () => {
    const api = fakeApi({
      ...signedOut,
      'POST /api/auth/dev-sign-in': json(200, { user: newUser({ email: 'ada@example.com' }) }),
    });
    const { user, currentPath } = renderApp('/sign-in');
    await findHeading('Development sign-in');
    await user.type(screen.getByRole('textbox', { name: 'Email address' }), '  ada@example.com ');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await findHeading('Terms of Service')).toBeInTheDocument();
    expect(currentPath()).toBe('/terms');
    expect(api.requestsTo('POST', '/api/auth/dev-sign-in').map((request) => request.body)).toEqual([
      { email: 'ada@example.com' },
    ]);
    const header = screen.getByRole('banner');
    expect(within(header).getByText('ada@example.com')).toBeInTheDocument();
  });

  it('offers Keycloak and no password-less door on an enterprise install', async () => {
    fakeApi({
      ...signedOut,
      'GET /api/auth/options': json(200, {
        keycloak: { issuer: 'https://sso.acme.example/realms/acme', ready: true, problem: null },
        devSignIn: 'off',
      }),
    });
    renderApp('/sign-in');

    expect(await findHeading('Sign in')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'Sign in with Keycloak' });
    expect(link).toHaveAttribute('href', '/api/auth/keycloak/login?returnTo=%2Fconversations');
    expect(screen.queryByRole('textbox', { name: 'Email address' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Development/)).not.toBeInTheDocument();
  });

  it('labels a development sign-in that an operator switched on beside Keycloak', async () => {
    fakeApi({
      ...signedOut,
      'GET /api/auth/options': json(200, {
        keycloak: { issuer: 'https://sso.acme.example/realms/acme', ready: true, problem: null },
        devSignIn: 'flagged',
      }),
    });
    renderApp('/sign-in');

    await findHeading('Sign in');
    expect(screen.getByRole('note')).toHaveTextContent(
      /Development sign-in is switched on for this enterprise install \(OPENHANDS_DEV_SIGN_IN\)/,
    );
    expect(screen.getByRole('form', { name: 'Development sign-in' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in with Keycloak' })).toBeInTheDocument();
  });

  it("says why Keycloak cannot be reached, and shows the provider's refusal after a failed sign-in", async () => {
    fakeApi({
      ...signedOut,
      'GET /api/auth/options': json(200, {
        keycloak: {
          issuer: 'https://sso.acme.example/realms/acme',
          ready: false,
          problem:
            'Sign-in is unavailable: the Keycloak realm at https://sso.acme.example/realms/acme cannot be reached.',
        },
        devSignIn: 'off',
      }),
    });
    renderApp('/sign-in?error=Keycloak%20did%20not%20sign%20you%20in%3A%20access_denied.');

    await findHeading('Sign in');
    const alerts = screen.getAllByRole('alert').map((alert) => alert.textContent);
    expect(alerts).toEqual([
      'Keycloak did not sign you in: access_denied.',
      'Sign-in is unavailable: the Keycloak realm at https://sso.acme.example/realms/acme cannot be reached.',
    ]);
  });
});
