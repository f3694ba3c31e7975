import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { createQueryClient } from '../../src/api/query-client';
import { routes } from '../../src/app/routes';

/** The whole app, as the browser would run it, at `path`; the router is returned to read where it went. */
export function renderApp(path: string) {
  const queryClient = createQueryClient();
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const { container } = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { container, router, queryClient, user, currentPath: () => router.state.location.pathname };
}

/** Waits for the page heading, which is also how the tests know which page they are on. */
export function findHeading(name: string | RegExp) {
  // Generous: the first page of a test file also loads its modules, which takes seconds on a busy machine.
  return screen.findByRole('heading', { level: 1, name }, { timeout: 10_000 });
}
