import type { Conversation } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { modelLabel } from './models';

export function ConversationList({ conversations }: { conversations: Conversation[] }) {
  return (
    <ol className="conversation-list" aria-label="Your conversations">
      {conversations.map((conversation) => (
        <li key={conversation.id} className="conversation">
          <span className="conversation__title">{conversation.title}</span>
          <span className="conversation__meta">
            <span className="chip">{modelLabel(conversation.llmModel)}</span>
            <span>
              Created <time dateTime={conversation.createdAt}>{formatDateTime(conversation.createdAt)}</time>
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Newest first, whatever order the pages arrived in; ties keep the server's order. */
export function newestFirst(conversations: Conversation[]): Conversation[] {
  return conversations
    .map((conversation, index) => ({ conversation, index, time: Date.parse(conversation.createdAt) || 0 }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map(({ conversation }) => conversation);
}
