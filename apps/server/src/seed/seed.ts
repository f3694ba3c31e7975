import { randomInt } from 'node:crypto';
import type { Db, Queryable } from '@openhands/db';
import { estimatedRows, type IndexPlan, planIndexRebuild } from './bulk-load.js';
import { insertConversationsSql, insertIntegrations, insertUsersSql } from './rows.js';

const DAY_SECONDS = 86_400;
/** Demo data spans the last 90 days. */
const SPAN_DAYS = 90;
const USERS_PER_CHUNK = 100_000;
const CONVERSATIONS_PER_CHUNK = 250_000;
/** Below this many new rows, or when a table already holds more, rows go in with the indexes in place. */
const BULK_LOAD_THRESHOLD = 100_000;

export type SeedPhase = 'users' | 'conversations' | 'integrations' | 'indexes' | 'vacuum';

export interface SeedProgress {
  phase: SeedPhase;
  done: number;
  total: number;
}

export interface SeedOptions {
  users: number;
  conversations: number;
  /** The end of the 90 days the data is spread over. */
  now: Date;
  onProgress?: (progress: SeedProgress) => void;
  /** Makes ids and emails differ from earlier runs into the same database. Default: random. */
  salt?: number;
}

export interface SeedReport {
  users: number;
  conversations: number;
  integrationRows: number;
  /** Whether indexes were dropped and rebuilt around the load. */
  bulk: boolean;
  /** Milliseconds per phase. */
  phaseMs: Partial<Record<SeedPhase, number>>;
  totalMs: number;
}

/**
 * Fills the host tables with realistic demo data: users who join over 90 days, most of them
 * accepting the Terms, a few without an email; conversations spread over the last 90 days in
 * the order they happened, heavy users making most of them, with several models, providers
 * and triggers, token counts and costs; and integration rows. Rows are generated inside
 * PostgreSQL (nothing crosses the wire per row), in one transaction, so a failure leaves
 * nothing behind. A large load takes the two big tables' indexes down and builds them again
 * at the end, holding those tables locked meanwhile: seed a demo server before it serves.
 */
export async function seedDemoData(db: Db, options: SeedOptions): Promise<SeedReport> {
  const { users, conversations } = options;
  if (!Number.isSafeInteger(users) || users < 0) throw new RangeError(`users must be a whole number ≥ 0, not ${users}`);
  if (!Number.isSafeInteger(conversations) || conversations < 0) {
    throw new RangeError(`conversations must be a whole number ≥ 0, not ${conversations}`);
  }
  if (conversations > 0 && users === 0) throw new RangeError('conversations need users: seed at least one user');

  const salt = options.salt ?? randomInt(1, 2 ** 30);
  const report: SeedReport = { users, conversations, integrationRows: 0, bulk: false, phaseMs: {}, totalMs: 0 };
  const progress = options.onProgress ?? (() => undefined);
  const started = performance.now();
  const timed = async <T>(phase: SeedPhase, work: () => Promise<T>): Promise<T> => {
    const phaseStarted = performance.now();
    try {
      return await work();
    } finally {
      report.phaseMs[phase] = (report.phaseMs[phase] ?? 0) + (performance.now() - phaseStarted);
    }
  };
  const span = { endEpoch: options.now.getTime() / 1000, seconds: SPAN_DAYS * DAY_SECONDS };

  await db.transaction(async (tx) => {
    const plans = await bulkPlans(tx, users, conversations);
    report.bulk = plans.length > 0;
    for (const plan of plans) for (const ddl of plan.drop) await tx.exec(ddl);

    await timed('users', async () => {
      for (let from = 0; from < users; from += USERS_PER_CHUNK) {
        const to = Math.min(users, from + USERS_PER_CHUNK) - 1;
        await tx.query(insertUsersSql(salt), [from, to, users, span.endEpoch, span.seconds]);
        progress({ phase: 'users', done: to + 1, total: users });
      }
    });
    await timed('conversations', async () => {
      for (let from = 0; from < conversations; from += CONVERSATIONS_PER_CHUNK) {
        const to = Math.min(conversations, from + CONVERSATIONS_PER_CHUNK) - 1;
        await tx.query(insertConversationsSql(salt), [from, to, conversations, users, span.endEpoch, span.seconds]);
        progress({ phase: 'conversations', done: to + 1, total: conversations });
      }
    });
    report.integrationRows = await timed('integrations', async () => {
      const rows = await insertIntegrations(tx, users, salt, span.endEpoch);
      progress({ phase: 'integrations', done: 1, total: 1 });
      return rows;
    });
    const rebuilds = plans.flatMap((plan) => plan.create);
    if (rebuilds.length > 0) {
      await timed('indexes', async () => {
        for (const [index, ddl] of rebuilds.entries()) {
          await tx.exec(ddl);
          progress({ phase: 'indexes', done: index + 1, total: rebuilds.length });
        }
      });
    }
  });

  // Outside the transaction (VACUUM cannot run in one): fresh statistics for the planner, and a
  // visibility map that lets the counts read indexes only, as autovacuum would leave them. The
  // first VACUUM, just after the commit, was seen to leave the first thousand-odd pages of the
  // load unmarked (a snapshot elsewhere still saw it in progress); the second visits only those.
  await timed('vacuum', async () => {
    // The conversations' rollups (filled by their triggers during the load) with them.
    const tables = 'user_settings, conversation_metadata, conversation_daily_rollup, conversation_user_recency';
    await db.exec(`VACUUM (ANALYZE) ${tables}`);
    await db.exec(`VACUUM ${tables}`);
    progress({ phase: 'vacuum', done: 1, total: 1 });
  });
  report.totalMs = performance.now() - started;
  return report;
}

async function bulkPlans(q: Queryable, users: number, conversations: number): Promise<IndexPlan[]> {
  const plans: IndexPlan[] = [];
  for (const [table, adding] of [
    ['user_settings', users],
    ['conversation_metadata', conversations],
  ] as const) {
    if (adding >= BULK_LOAD_THRESHOLD && adding >= (await estimatedRows(q, table))) {
      plans.push(await planIndexRebuild(q, table));
    }
  }
  return plans;
}
