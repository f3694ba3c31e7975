import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { messageOf } from '../api/errors';
import { useMe, useSignOut } from '../api/session';
import { LogoMark } from '../components/icons';
import { LicenseWarningBanner } from '../components/license-warning-banner';

export const PRODUCT_NAME = 'OpenHands Enterprise';

/**
 * The frame of every page: the license banner on top, then the header, then the page. The skip
 * link comes first in the tab order (it is out of sight until focused), the banner's controls after it.
 */
export function RootLayout() {
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <LicenseWarningBanner />
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="brand">
            <LogoMark className="brand__mark" />
            <span className="brand__name">{PRODUCT_NAME}</span>
          </Link>
          <AccountMenu />
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function AccountMenu() {
  const { data: user } = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!user) return null;

  return (
    <nav className="account" aria-label="Account">
      {user.isAdmin && user.acceptedTosAt ? (
        <NavLink to="/admin" className="account__link">
          Admin
        </NavLink>
      ) : null}
      <span className="account__email" title={user.email}>
        {user.email}
      </span>
      <button
        type="button"
        className="button button--ghost button--small"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/sign-in', { replace: true }) })}
      >
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.isError ? (
        <p className="account__error" role="alert">
          Sign-out failed. {messageOf(signOut.error)}
        </p>
      ) : null}
    </nav>
  );
}
