import { isAdmin } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import type { User } from '../users/users.js';

/** A user as the API shows them. */
export async function userView(ctx: ServerContext, user: User) {
  return {
    id: user.id,
    email: user.email,
    acceptedTosAt: user.acceptedTosAt?.toISOString() ?? null,
    isAdmin: await isAdmin(ctx.db, ctx.env, user),
  };
}
