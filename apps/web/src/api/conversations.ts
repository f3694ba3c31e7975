import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';
import { queryKeys } from './query-keys';
import type { Conversation, ConversationPage } from './types';

export const CONVERSATIONS_PAGE_SIZE = 20;

/** The signed-in user's conversations, newest first, a page at a time. */
export function useConversations() {
  return useInfiniteQuery({
    queryKey: queryKeys.conversations,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: String(CONVERSATIONS_PAGE_SIZE) });
      if (pageParam) query.set('cursor', pageParam);
      return apiRequest<ConversationPage>('GET', `/api/conversations?${query}`);
    },
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });
}

export interface NewConversation {
  title: string;
  llmModel?: string;
}

export function useCreateConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewConversation) =>
      apiRequest<{ conversation: Conversation }>('POST', '/api/conversations', input),
    // Stay pending until the list has the new row, so the form never reports success over a stale list.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversations }),
  });
}
