import { randomUUID } from 'node:crypto';
import type { Queryable } from '@openhands/db';

export interface Conversation {
  id: string;
  title: string;
  llmModel: string | null;
  gitProvider: string | null;
  trigger: string | null;
  createdAt: Date;
  lastUpdatedAt: Date;
}

interface ConversationRow {
  conversation_id: string;
  title: string | null;
  llm_model: string | null;
  git_provider: string | null;
  trigger: string | null;
  created_at: Date;
  last_updated_at: Date;
}

const COLUMNS = 'conversation_id, title, llm_model, git_provider, trigger, created_at, last_updated_at';

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.conversation_id,
    title: row.title ?? 'Untitled conversation',
    llmModel: row.llm_model,
    gitProvider: row.git_provider,
    trigger: row.trigger,
    createdAt: row.created_at,
    lastUpdatedAt: row.last_updated_at,
  };
}

export interface NewConversation {
  userId: string;
  title: string;
  llmModel: string | null;
  now: Date;
}

export async function createConversation(q: Queryable, input: NewConversation): Promise<Conversation> {
  const { rows } = await q.query<ConversationRow>(
    `INSERT INTO conversation_metadata (conversation_id, user_id, title, llm_model, trigger, created_at, last_updated_at)
     VALUES ($1, $2, $3, $4, 'gui', $5, $5)
     RETURNING ${COLUMNS}`,
    [randomUUID().replaceAll('-', ''), input.userId, input.title, input.llmModel, input.now],
  );
  return toConversation(rows[0]!);
}

/** Where a page ends: the last row's time and id, so that equal times never skip or repeat rows. */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export async function listConversations(
  q: Queryable,
  userId: string,
  limit: number,
  after: PageCursor | undefined,
): Promise<{ conversations: Conversation[]; next: PageCursor | undefined }> {
  const { rows } = await q.query<ConversationRow>(
    `SELECT ${COLUMNS} FROM conversation_metadata
     WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, conversation_id) < ($2, $3))
     ORDER BY created_at DESC, conversation_id DESC
     LIMIT $4`,
    [userId, after?.createdAt ?? null, after?.id ?? '', limit + 1],
  );
  const page = rows.slice(0, limit).map(toConversation);
  const last = page.at(-1);
  return {
    conversations: page,
    next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  };
}
