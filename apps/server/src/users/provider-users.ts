import type { Db, Queryable } from '@openhands/db';
import type { ProviderIdentity } from '../auth/keycloak.js';
import { deleteUserSessions } from '../auth/session-store.js';
import { isEmail } from './email.js';
import {
  findUserByEmail,
  findUserById,
  findUserBySubject,
  insertUser,
  rekeyUser,
  type User,
  updateUserEmail,
} from './users.js';

/**
 * The user a Keycloak sign-in belongs to. Matched by `sub` first (stored as keycloak_user_id);
 * else by a VERIFIED email, which takes over an existing row with the same verified address (one
 * made by the seed, the development sign-in, or an earlier Keycloak account of the same person).
 * An unverified address never takes anything: if another user has it, the new row goes without it.
 */
export async function userForIdentity(db: Db, identity: ProviderIdentity): Promise<User> {
  const email = identity.email && isEmail(identity.email) ? identity.email : null;
  const verified = email !== null && identity.emailVerified;
  return db.transaction(async (tx) => {
    const known = await findUserBySubject(tx, identity.subject);
    if (known) return refreshEmail(tx, known, email, verified);

    let holder = email ? await findUserByEmail(tx, email) : undefined;
    if (holder && verified && !holder.emailVerified) {
      // An unproven claim of this address (an unverified Keycloak account) gives way to the proven
      // one, and keeps nothing of it: its row loses the address and its sessions end.
      await updateUserEmail(tx, holder.id, null, false);
      await deleteUserSessions(tx, holder.id);
      holder = undefined;
    }
    if (holder && verified) {
      await rekeyUser(tx, holder.id, holder.keycloakUserId, identity.subject);
      // Whoever held the row before (a development session) is not this person's session.
      await deleteUserSessions(tx, holder.id);
      return (await updateUserEmail(tx, holder.id, email, true)) ?? holder;
    }
    const created = await insertUser(tx, {
      subject: identity.subject,
      email: holder ? null : email,
      emailVerified: holder ? false : verified,
    });
    if (created) return created;
    const raced = await findUserBySubject(tx, identity.subject);
    if (!raced) throw new Error('a Keycloak user could be neither created nor found');
    return raced;
  });
}

async function refreshEmail(tx: Queryable, user: User, email: string | null, verified: boolean): Promise<User> {
  if (user.email?.toLowerCase() === email?.toLowerCase() && user.emailVerified === verified) return user;
  if (email) {
    const holder = await findUserByEmail(tx, email);
    // Another row has this address: keep what this user had rather than take it unverified.
    if (holder && holder.id !== user.id) return user;
  }
  // The identity that may have made them the admin changed: their other sessions end.
  await deleteUserSessions(tx, user.id);
  return (await updateUserEmail(tx, user.id, email, verified)) ?? (await findUserById(tx, user.id)) ?? user;
}
