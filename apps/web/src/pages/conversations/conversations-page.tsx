import { useConversations } from '../../api/conversations';
import { ErrorState, LoadingState } from '../../components/page-states';
import { ConversationList, newestFirst } from './conversation-list';
import { NewConversationForm } from './new-conversation-form';

export function ConversationsPage() {
  const list = useConversations();
  const conversations = newestFirst(list.data?.pages.flatMap((page) => page.conversations) ?? []);

  return (
    <div className="page">
      <title>Conversations · OpenHands Enterprise</title>
      <div className="page__header">
        <h1>Conversations</h1>
        <p className="muted">Start a conversation with an agent, or pick up where you left off.</p>
      </div>

      <NewConversationForm />

      <section className="card" aria-labelledby="your-conversations">
        <h2 id="your-conversations" className="card__title">
          Your conversations
        </h2>
        {list.isPending ? <LoadingState label="Loading your conversations…" /> : null}
        {list.isError && !list.data ? (
          <ErrorState
            title="Your conversations could not be loaded"
            error={list.error}
            onRetry={() => void list.refetch()}
          />
        ) : null}
        {list.data && conversations.length === 0 ? (
          <div className="empty-state">
            <p className="empty-state__title">No conversations yet</p>
            <p className="muted">Give your first conversation a title above and start it.</p>
          </div>
        ) : null}
        {conversations.length > 0 ? <ConversationList conversations={conversations} /> : null}
        {list.hasNextPage ? (
          <button
            type="button"
            className="button button--secondary load-more"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Show older conversations'}
          </button>
        ) : null}
      </section>
    </div>
  );
}
