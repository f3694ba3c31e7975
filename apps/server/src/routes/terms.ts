import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import { unauthenticated } from '../http/errors.js';
import { acceptTerms } from '../users/users.js';
import { userView } from './user-view.js';

export async function termsRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post('/api/tos/accept', async (request) => {
    const before = await requireUser(request);
    const user = await acceptTerms(ctx.db, before.id, ctx.now());
    if (!user) throw unauthenticated(); // deleted between the two statements
    // The first acceptance may make the admin email known: telemetry wants to hear at once.
    if (!before.acceptedTosAt) ctx.events.termsAccepted(user);
    return { user: await userView(ctx, user) };
  });
}
