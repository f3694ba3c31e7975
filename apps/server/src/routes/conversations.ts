import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireTermsAccepted } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import {
  type Conversation,
  createConversation,
  listConversations,
  type PageCursor,
} from '../conversations/conversations.js';
import { HttpError } from '../http/errors.js';
import { ConversationListQuery, NewConversationBody } from './schemas.js';

function view(conversation: Conversation) {
  return {
    ...conversation,
    createdAt: conversation.createdAt.toISOString(),
    lastUpdatedAt: conversation.lastUpdatedAt.toISOString(),
  };
}

function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt.toISOString(), id: cursor.id })).toString('base64url');
}

function decodeCursor(raw: string): PageCursor {
  try {
    const { t, id } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { t: unknown; id: unknown };
    const createdAt = new Date(String(t));
    // A cursor names a row's time: a date outside what rows can have (year 275760) was made up.
    const year = createdAt.getUTCFullYear();
    if (typeof id !== 'string' || id.length > 64 || Number.isNaN(createdAt.getTime()) || year < 1970 || year > 9999) {
      throw new Error('bad cursor');
    }
    return { createdAt, id };
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'cursor is not one this server gave out; start again without it.');
  }
}

export async function conversationRoutes(host: FastifyInstance, ctx: ServerContext): Promise<void> {
  const app = host.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/conversations', { schema: { querystring: ConversationListQuery } }, async (request) => {
    const user = await requireTermsAccepted(request);
    const after = request.query.cursor ? decodeCursor(request.query.cursor) : undefined;
    const page = await listConversations(ctx.db, user.keycloakUserId, request.query.limit, after);
    return { conversations: page.conversations.map(view), nextCursor: page.next ? encodeCursor(page.next) : null };
  });

  app.post('/api/conversations', { schema: { body: NewConversationBody } }, async (request, reply) => {
    const user = await requireTermsAccepted(request);
    const title = request.body.title.trim();
    if (!title) throw new HttpError(400, 'invalid_request', 'title must not be blank.');
    const conversation = await createConversation(ctx.db, {
      userId: user.keycloakUserId,
      title,
      llmModel: request.body.llmModel ?? null,
      now: ctx.now(),
    });
    return reply.code(201).send({ conversation: view(conversation) });
  });
}
