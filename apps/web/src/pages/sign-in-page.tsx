import { type FormEvent, useRef, useState } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { useDevSignIn } from '../api/session';
import { TextField } from '../components/text-field';

// A light check so that obvious typos are caught here; the server has the final word.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateEmail(email: string): string | null {
  if (!email) return 'Enter your email address.';
  if (!EMAIL_SHAPE.test(email)) return 'Enter an email address such as name@example.com.';
  return null;
}

/** The development stand-in for Keycloak: whoever types an email address is signed in as that user. */
export function SignInPage() {
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
    <div className="auth-page">
      <title>Sign in · OpenHands Enterprise</title>
      <section className="card auth-card" aria-labelledby="sign-in-title">
        <p className="badge badge--neutral">Development build</p>
        <h1 id="sign-in-title" className="auth-card__title">
          Development sign-in
        </h1>
        <p className="auth-card__lead">
          The real product signs you in through Keycloak; here, anyone signs in with an email address.
        </p>
        <form className="form" noValidate onSubmit={onSubmit}>
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
          <button type="submit" className="button button--primary button--block" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </section>
    </div>
  );
}
