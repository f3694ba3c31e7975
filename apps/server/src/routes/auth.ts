import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import { isEmail } from '../users/email.js';
import { findOrCreateUserByEmail } from '../users/users.js';
import { userView } from './user-view.js';

/**
 * Development sign-in: anyone signs in with an email address. The real product signs in through
 * Keycloak; this flow exists so that the first user, and with them the admin email, can appear.
 */
export async function authRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post<{ Body: { email: string } }>(
    '/api/auth/dev-sign-in',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim();
      if (!isEmail(email)) {
        throw new HttpError(
          400,
          'invalid_email',
          `"${email.slice(0, 80)}" is not an email address, like name@example.com.`,
        );
      }
      const user = await findOrCreateUserByEmail(ctx.db, email);
      reply.startSession(user);
      return { user: await userView(ctx, user) };
    },
  );

  app.post('/api/auth/sign-out', async (_request, reply) => {
    reply.endSession();
    return reply.code(204).send();
  });

  app.get('/api/me', async (request) => ({ user: await userView(ctx, await requireUser(request)) }));
}
