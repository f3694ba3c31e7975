import { Navigate, type RouteObject } from 'react-router';
import { AdminLayout } from '../pages/admin/admin-layout';
import { AdminOverviewPage } from '../pages/admin/admin-overview-page';
import { TelemetryPage } from '../pages/admin/telemetry/telemetry-page';
import { ConversationsPage } from '../pages/conversations/conversations-page';
import { NotFoundPage } from '../pages/not-found-page';
import { SignInPage } from '../pages/sign-in-page';
import { TermsPage } from '../pages/terms-page';
import { AcceptedTermsOnly, AdminsOnly, SignedInOnly, SignedOutOnly } from './guards';
import { HOME_PATH } from './return-path';
import { RootLayout } from './root-layout';

/** Every page, inside the one root layout (and so under the license banner). */
export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    children: [
      { element: <SignedOutOnly />, children: [{ path: 'sign-in', element: <SignInPage /> }] },
      { element: <SignedInOnly />, children: [{ path: 'terms', element: <TermsPage /> }] },
      {
        element: <AcceptedTermsOnly />,
        children: [
          { index: true, element: <Navigate to={HOME_PATH} replace /> },
          { path: 'conversations', element: <ConversationsPage /> },
          {
            path: 'admin',
            element: <AdminsOnly />,
            // Admin pages join here, and their link in admin-sections.ts.
            children: [
              {
                element: <AdminLayout />,
                children: [
                  { index: true, element: <AdminOverviewPage /> },
                  { path: 'telemetry', element: <TelemetryPage /> },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
