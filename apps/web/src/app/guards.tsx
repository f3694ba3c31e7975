import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../api/session';
import type { User } from '../api/types';
import { ErrorState, LoadingState } from '../components/page-states';
import { AdminsOnlyPage } from '../pages/admin/admins-only-page';
import { returnStateFor, useReturnPath } from './return-path';

// The routing rules: signed out → /sign-in (except the sign-in page itself); signed in without the
// Terms accepted → /terms; otherwise the page. The server enforces the same rules on every request;
// these only spare the user a page that cannot work.

/** Renders `children(user)` once the session is known, or the loading and failure states. */
function WithSession({ children }: { children: (user: User | null) => ReactNode }) {
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  // A failed background re-check keeps the page: the answer we already have still stands.
  if (me.isError && me.data === undefined)
    return <ErrorState title="We could not check your session" error={me.error} onRetry={() => void me.refetch()} />;
  return <>{children(me.data ?? null)}</>;
}

/** The sign-in page: only for the signed out. */
export function SignedOutOnly() {
  const returnPath = useReturnPath();
  return <WithSession>{(user) => (user ? <Navigate to={returnPath} replace /> : <Outlet />)}</WithSession>;
}

/** The Terms page: any signed-in user. */
export function SignedInOnly() {
  const location = useLocation();
  return (
    <WithSession>
      {(user) => (user ? <Outlet /> : <Navigate to="/sign-in" replace state={returnStateFor(location)} />)}
    </WithSession>
  );
}

/** Every other page: signed in, with the Terms accepted. */
export function AcceptedTermsOnly() {
  const location = useLocation();
  return (
    <WithSession>
      {(user) => {
        if (!user) return <Navigate to="/sign-in" replace state={returnStateFor(location)} />;
        if (!user.acceptedTosAt) return <Navigate to="/terms" replace state={returnStateFor(location)} />;
        return <Outlet />;
      }}
    </WithSession>
  );
}

/** The admin area; it sits inside AcceptedTermsOnly, so the session is already known here. */
export function AdminsOnly() {
  const me = useMe();
  return me.data?.isAdmin ? <Outlet /> : <AdminsOnlyPage />;
}
