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
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'cursor is not one this server gave out; start again without it.');
  }
}

export async function conversationRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/api/conversations',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            cursor: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request) => {
      const user = await requireTermsAccepted(request);
      const after = request.query.cursor ? decodeCursor(request.query.cursor) : undefined;
      const page = await listConversations(ctx.db, user.keycloakUserId, request.query.limit, after);
      return { conversations: page.conversations.map(view), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.post<{ Body: { title: string; llmModel?: string } }>(
    '/api/conversations',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200 },
            llmModel: { type: 'string', minLength: 1, maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
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
    },
  );
}
