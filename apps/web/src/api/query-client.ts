import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';
import { queryKeys } from './query-keys';

/**
 * The one QueryClient of the app. Session changes the server tells us about on any request are
 * handled here, once: a 401 means we are signed out, a `tos_required` means the Terms must be
 * accepted (again); the route guards then send the user where they need to go.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onSessionError(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => onSessionError(error, []) }),
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a dropped connection or a 5xx may.
        retry: (failureCount, error) => isTransient(error) && failureCount < 2,
        staleTime: 30_000,
      },
    },
  });

  function onSessionError(error: unknown, queryKey: readonly unknown[]): void {
    if (!(error instanceof ApiError)) return;
    if (error.status === 401 && queryKey[0] !== queryKeys.me[0]) client.setQueryData(queryKeys.me, null);
    if (error.code === 'tos_required') void client.invalidateQueries({ queryKey: queryKeys.me });
  }

  return client;
}

function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}
