import { isSchemaCurrent } from '@openhands/db';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { allMigrations } from '../migrations.js';

/** `/healthz`: the process answers. `/readyz`: it can serve, i.e. the database answers and is migrated. */
export async function healthRoutes(app: FastifyInstance, { db }: ServerContext): Promise<void> {
  let migrated = false; // once current, a schema stays current for the life of the process

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      migrated ||= await isSchemaCurrent(db, allMigrations);
      if (!migrated) return reply.code(503).send({ status: 'not_ready', reason: 'migrations are not applied' });
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'not_ready', reason: `database unreachable: ${(error as Error).message}` });
    }
  });
}
