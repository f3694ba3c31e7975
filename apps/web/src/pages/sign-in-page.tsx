// How this server signs people in (GET /api/auth/options), declared once in the server's schemas.
// `devSignIn: 'flagged'` is an enterprise install where an operator switched the development sign-in on.
import type { SignInOptions } from '@openhands/server/api';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiRequest } from '../api/client';
import { ApiError, messageOf } from '../api/errors';
import { useDevSignIn } from '../api/session';
import { useReturnPath } from '../app/return-path';
import { LoadingState } from '../components/page-states';
import { TextField } from '../components/text-field';

// A light check so that obvious typos are caught here; the server has the final word.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateEmail(email: string): string | null {
  if (!email) return 'Enter your email address.';
  if (!EMAIL_SHAPE.test(email)) return 'Enter an email address such as name@example.com.';
  return null;
}

/**
 * Sign-in: through the installation's Keycloak realm, and the development sign-in (any email, no
 * password) only where the server offers it, labelled for what it is.
 */
export function SignInPage() {
  const options = useQuery({
    queryKey: ['auth-options'],
    queryFn: () => apiRequest<SignInOptions>('GET', '/api/auth/options'),
  });
  const [searchParams] = useSearchParams();
  const returnPath = useReturnPath();
  const providerError = searchParams.get('error');

  if (options.isPending) return <LoadingState />;
  const keycloak = options.data?.keycloak ?? null;
  const devSignIn = options.data?.devSignIn ?? 'off';
  const onlyDev = !keycloak && devSignIn !== 'off';

  return (
    <div className="auth-page">
      <title>Sign in · OpenHands Enterprise</title>
      <section className="card auth-card" aria-labelledby="sign-in-title">
        {onlyDev ? <p className="badge badge--neutral">Development build</p> : null}
        <h1 id="sign-in-title" className="auth-card__title">
          {onlyDev ? 'Development sign-in' : 'Sign in'}
        </h1>
        {providerError ? (
          <p className="form-error" role="alert">
            {providerError}
          </p>
        ) : null}
        {options.isError ? (
          <p className="form-error" role="alert">
            {messageOf(options.error)}
          </p>
        ) : null}
        {keycloak ? <KeycloakSignIn keycloak={keycloak} returnPath={returnPath} /> : null}
        {devSignIn !== 'off' ? <DevSignInForm flagged={devSignIn === 'flagged'} withKeycloak={!!keycloak} /> : null}
        {!keycloak && devSignIn === 'off' && options.isSuccess ? (
          <p className="form-error" role="alert">
            No sign-in is configured on this server: set KEYCLOAK_CLIENT_ID (with KEYCLOAK_SERVER_URL and
            KEYCLOAK_REALM_NAME).
          </p>
        ) : null}
      </section>
    </div>
  );
}

function KeycloakSignIn({
  keycloak,
  returnPath,
}: {
  keycloak: NonNullable<SignInOptions['keycloak']>;
  returnPath: string;
}) {
  const href = `/api/auth/keycloak/login?returnTo=${encodeURIComponent(returnPath)}`;
  return (
    <div className="form">
      <p className="auth-card__lead">Sign in with your organisation's account.</p>
      {keycloak.problem ? (
        <p className="form-error" role="alert">
          {keycloak.problem}
        </p>
      ) : null}
      {/* A full-page navigation: the browser goes to Keycloak's login page and comes back. */}
      <a className="button button--primary button--block" href={href}>
        Sign in with Keycloak
      </a>
    </div>
  );
}

function DevSignInForm({ flagged, withKeycloak }: { flagged: boolean; withKeycloak: boolean }) {
  const signIn = useDevSignIn();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = email.trim();
    const problem = validateEmail(trimmed);
    setFieldError(problem);
    setFormError(null);
    if (problem) {
      emailInput.current?.focus();
      return;
    }
    // Once signed in, the route guard takes the user on to the Terms or the page they asked for.
    signIn.mutate(trimmed, {
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'invalid_email') {
          setFieldError(error.message);
          emailInput.current?.focus();
        } else {
          setFormError(messageOf(error));
        }
      },
    });
  }

  return (
    <>
      {flagged ? (
        <p className="notice notice--waiting" role="note">
          Development sign-in is switched on for this enterprise install (OPENHANDS_DEV_SIGN_IN): anyone who can reach
          it can sign in as anyone, without a password.
        </p>
      ) : null}
      {withKeycloak ? (
        <h2 className="auth-card__lead">Development sign-in</h2>
      ) : (
        <p className="auth-card__lead">
          The real product signs you in through Keycloak; here, anyone signs in with an email address.
        </p>
      )}
      <form className="form" noValidate onSubmit={onSubmit} aria-label="Development sign-in">
        <TextField
          ref={emailInput}
          label="Email address"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder="name@example.com"
          required
          value={email}
          error={fieldError}
          onChange={(event) => setEmail(event.target.value)}
        />
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <button
          type="submit"
          className={`button ${withKeycloak ? 'button--secondary' : 'button--primary'} button--block`}
          disabled={signIn.isPending}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </>
  );
}
