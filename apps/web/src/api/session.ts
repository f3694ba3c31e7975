import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';
import { ApiError } from './errors';
import { queryKeys } from './query-keys';
import type { User } from './types';

/** The signed-in user, or null when signed out (a 401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<User | null> => {
      try {
        const { user } = await apiRequest<{ user: User }>('GET', '/api/me');
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  });
}

export function useDevSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => apiRequest<{ user: User }>('POST', '/api/auth/dev-sign-in', { email }),
    onSuccess: ({ user }) => {
      // Whatever another account left in the cache is not this user's.
      queryClient.removeQueries({ queryKey: queryKeys.conversations });
      queryClient.setQueryData(queryKeys.me, user);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const ended = await apiRequest<{ logoutUrl?: string } | undefined>('POST', '/api/auth/sign-out');
      // A Keycloak session ends at the provider too: the browser goes there, then back to /sign-in.
      if (ended?.logoutUrl) window.location.assign(ended.logoutUrl);
      return ended;
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.conversations });
      queryClient.setQueryData(queryKeys.me, null);
    },
  });
}

export function useAcceptTerms() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ user: User }>('POST', '/api/tos/accept'),
    onSuccess: ({ user }) => queryClient.setQueryData(queryKeys.me, user),
  });
}
