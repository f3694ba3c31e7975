import type { Db } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import type { CollectorContext } from '@openhands/telemetry';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/migrations.js';
import { conversationUsers, conversationWindow } from '../../src/telemetry/collectors/support/shared-queries.js';

/**
 * The collectors read rollups kept by triggers (migration 0003). Whatever the writes (bulk and
 * single inserts, token updates, moves to another user or day, deletes), the collectors' figures
 * must equal those counted from the conversations themselves, by the plain definitions below,
 * for any clock, conversations after it included. fast-check prints the seed that replays a
 * failure.
 */
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const USERS = ['u1', 'u2', 'u3', 'u4'];
const NAMES = [null, 'a', 'b'];

// Times near the edges that matter: window starts, UTC midnights, now, and after now.
const instant = fc.oneof(
  fc.integer({ min: -32 * DAY, max: 2 * DAY }).map((offset) => NOW + offset),
  fc.constantFrom(-30 * DAY, -7 * DAY, -29.5 * DAY - 1, 0, 1, -12 * 3600_000, -36 * 3600_000).map((o) => NOW + o),
);
interface Conversation {
  user: string;
  at: number;
  model: string | null;
  provider: string | null;
  trigger: string | null;
  tokens: number;
  cost: number;
}
const conversation: fc.Arbitrary<Conversation> = fc.record({
  user: fc.constantFrom(...USERS),
  at: instant,
  model: fc.constantFrom(...NAMES),
  provider: fc.constantFrom(...NAMES),
  trigger: fc.constantFrom(...NAMES),
  tokens: fc.constantFrom(0, 10, 250),
  cost: fc.constantFrom(0, 0.5, 1.25),
});
type Write =
  | { kind: 'insert'; rows: Conversation[] }
  | { kind: 'tokens'; pick: number; tokens: number; cost: number }
  | { kind: 'move'; pick: number; user: string; at: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'deleteUser'; user: string };
const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), rows: fc.array(conversation, { minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('tokens' as const),
    pick: fc.nat(),
    tokens: fc.constantFrom(0, 40),
    cost: fc.constantFrom(0, 2),
  }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), user: fc.constantFrom(...USERS), at: instant }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deleteUser' as const), user: fc.constantFrom(...USERS) }),
);

let nextId = 0;
async function apply(db: Db, w: Write): Promise<void> {
  const pick = `(SELECT conversation_id FROM conversation_metadata ORDER BY conversation_id
                 OFFSET $1 % greatest((SELECT count(*) FROM conversation_metadata), 1) LIMIT 1)`;
  switch (w.kind) {
    case 'insert':
      await db.query(
        `INSERT INTO conversation_metadata (conversation_id, user_id, created_at, llm_model, git_provider, trigger,
                                            prompt_tokens, completion_tokens, total_tokens, accumulated_cost)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                              $7::bigint[], $8::bigint[], $9::bigint[], $10::float8[])`,
        [
          w.rows.map(() => `c${nextId++}`),
          w.rows.map((r) => r.user),
          w.rows.map((r) => new Date(r.at)),
          w.rows.map((r) => r.model),
          w.rows.map((r) => r.provider),
          w.rows.map((r) => r.trigger),
          w.rows.map((r) => r.tokens),
          w.rows.map((r) => r.tokens / 10),
          w.rows.map((r) => r.tokens + r.tokens / 10),
          w.rows.map((r) => r.cost),
        ],
      );
      return;
    case 'tokens':
      await db.query(
        `UPDATE conversation_metadata SET total_tokens = $2, prompt_tokens = $2, accumulated_cost = $3 WHERE conversation_id = ${pick}`,
        [w.pick, w.tokens, w.cost],
      );
      return;
    case 'move':
      await db.query(`UPDATE conversation_metadata SET user_id = $2, created_at = $3 WHERE conversation_id = ${pick}`, [
        w.pick,
        w.user,
        new Date(w.at),
      ]);
      return;
    case 'delete':
      await db.query(`DELETE FROM conversation_metadata WHERE conversation_id = ${pick}`, [w.pick]);
      return;
    case 'deleteUser':
      await db.query('DELETE FROM conversation_metadata WHERE user_id = $1', [w.user]);
      return;
  }
}

/** The figures by their plain definitions, over the conversations themselves. */
async function counted(db: Db, now: Date) {
  const since30d = new Date(now.getTime() - 30 * DAY);
  const since7d = new Date(now.getTime() - 7 * DAY);
  const { rows } = await db.query<Record<string, number> & { cost_usd_30d: number; cost_usd_7d: number }>(
    `SELECT (SELECT count(*) FROM conversation_metadata)::int AS total_conversations,
            count(*) FILTER (WHERE created_at >= $1)::int AS conversations_30d,
            count(*) FILTER (WHERE created_at >= $2)::int AS conversations_7d,
            count(DISTINCT user_id)::int AS active_users_30d,
            count(DISTINCT user_id) FILTER (WHERE created_at >= $2)::int AS active_users_7d,
            (SELECT count(*) FROM (SELECT user_id FROM conversation_metadata WHERE created_at BETWEEN $1 AND $3
                                   GROUP BY user_id HAVING count(*) > 1) AS engaged)::int AS engaged_users_30d,
            count(*) FILTER (WHERE total_tokens > 0)::int AS with_tokens_30d,
            coalesce(sum(total_tokens), 0)::int AS total_tokens_30d,
            coalesce(sum(total_tokens) FILTER (WHERE created_at >= $2), 0)::int AS total_tokens_7d,
            coalesce(sum(accumulated_cost), 0)::float8 AS cost_usd_30d,
            coalesce(sum(accumulated_cost) FILTER (WHERE created_at >= $2), 0)::float8 AS cost_usd_7d
     FROM conversation_metadata WHERE created_at BETWEEN $1 AND $3`,
    [since30d, since7d, now],
  );
  const byModel = await db.query<{ name: string; conversations: number }>(
    `SELECT llm_model AS name, count(*)::int AS conversations FROM conversation_metadata
     WHERE created_at BETWEEN $1 AND $2 AND llm_model IS NOT NULL GROUP BY llm_model ORDER BY llm_model`,
    [since30d, now],
  );
  const sums = rows[0];
  if (!sums) throw new Error('no row');
  return { ...sums, byModel: byModel.rows };
}

async function collected(db: Db, now: Date) {
  const ctx = { db, now, signal: new AbortController().signal, host: {} } as unknown as CollectorContext;
  const [users, window] = await Promise.all([conversationUsers(ctx), conversationWindow(ctx)]);
  return {
    ...users,
    with_tokens_30d: window.total.with_tokens_30d,
    total_tokens_30d: window.total.total_tokens_30d,
    total_tokens_7d: window.total.total_tokens_7d,
    cost_usd_30d: window.total.cost_usd_30d,
    cost_usd_7d: window.total.cost_usd_7d,
    byModel: [...window.byModel].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

describe.each(TEST_BACKENDS)('the conversation rollups on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind, allMigrations);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('give the figures counted from the conversations, after any writes, at any clock', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -DAY, max: DAY }),
        async (writes, clockOffset) => {
          await db.exec('TRUNCATE conversation_metadata');
          for (const w of writes) await apply(db, w);
          const now = new Date(NOW + clockOffset);
          const actual = await collected(db, now);
          const expected = await counted(db, now);
          expect({
            ...actual,
            cost_usd_30d: round(actual.cost_usd_30d),
            cost_usd_7d: round(actual.cost_usd_7d),
          }).toEqual({
            ...expected,
            cost_usd_30d: round(expected.cost_usd_30d),
            cost_usd_7d: round(expected.cost_usd_7d),
          });
        },
      ),
      { numRuns: 25, verbose: true },
    );
  }, 120_000);
});

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
