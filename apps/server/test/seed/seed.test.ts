import type { Db } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/migrations.js';
import { GIT_PROVIDERS, MODELS, TRIGGERS } from '../../src/seed/catalogue.js';
import { type SeedProgress, seedDemoData } from '../../src/seed/seed.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const NINETY_DAYS_MS = 90 * 86_400_000;

async function one<T extends Record<string, unknown>>(db: Db, sql: string): Promise<T> {
  const { rows } = await db.query<T>(sql);
  return rows[0] as T;
}

/** Every index and constraint of the two big tables, to prove a bulk load puts them all back. */
async function schemaOf(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ def: string }>(
    `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index
     WHERE indrelid IN ('user_settings'::regclass, 'conversation_metadata'::regclass)
     UNION ALL
     SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
     WHERE conrelid IN ('user_settings'::regclass, 'conversation_metadata'::regclass)
     ORDER BY 1`,
  );
  return rows.map((row) => row.def);
}

describe.each(TEST_BACKENDS)('seedDemoData on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind, allMigrations);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec(`TRUNCATE conversation_metadata, user_settings, github_app_installations, slack_users,
      slack_workspaces, jira_users, jira_workspaces, linear_users, linear_workspaces CASCADE`);
  });

  it('fills users, conversations and integrations that hang together', async () => {
    const progress: SeedProgress[] = [];
    const report = await seedDemoData(db, {
      users: 400,
      conversations: 3_000,
      now: NOW,
      salt: 7,
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({ users: 400, conversations: 3_000, bulk: false });
    expect(report.integrationRows).toBeGreaterThan(0);

    const users = await one<{ n: number; no_email: number; not_accepted: number; consenting: number }>(
      db,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE email IS NULL)::int AS no_email,
              count(*) FILTER (WHERE accepted_tos IS NULL)::int AS not_accepted,
              count(*) FILTER (WHERE user_consents_to_analytics)::int AS consenting
       FROM user_settings`,
    );
    expect(users).toEqual({ n: 400, no_email: 20, not_accepted: 60, consenting: 240 });

    const conversations = await one<Record<string, unknown>>(
      db,
      `SELECT count(*)::int AS n, min(created_at) AS first, max(created_at) AS last,
              count(*) FILTER (WHERE total_tokens <> prompt_tokens + completion_tokens)::int AS bad_tokens,
              count(*) FILTER (WHERE last_updated_at < created_at OR last_updated_at > $1)::int AS bad_updates,
              count(*) FILTER (WHERE accumulated_cost < 0)::int AS bad_costs,
              count(DISTINCT llm_model)::int AS models, count(DISTINCT git_provider)::int AS providers,
              count(DISTINCT trigger)::int AS triggers, count(DISTINCT user_id)::int AS users
       FROM conversation_metadata`.replace('$1', `'${NOW.toISOString()}'`),
    );
    expect(conversations).toMatchObject({ n: 3_000, bad_tokens: 0, bad_updates: 0, bad_costs: 0 });
    expect((conversations.first as Date).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - NINETY_DAYS_MS);
    expect((conversations.last as Date).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(conversations.models).toBe(MODELS.length);
    expect(conversations.providers).toBe(GIT_PROVIDERS.filter((p) => p.value !== null).length);
    expect(conversations.triggers).toBe(TRIGGERS.length);
    // Heavy users make most conversations, and many users make none.
    expect(conversations.users as number).toBeGreaterThan(100);
    expect(conversations.users as number).toBeLessThan(340);

    // Every conversation belongs to a user who had joined and accepted the Terms by then.
    const orphans = await one<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM conversation_metadata c
       WHERE NOT EXISTS (SELECT 1 FROM user_settings u WHERE u.keycloak_user_id = c.user_id
                         AND u.accepted_tos IS NOT NULL AND u.created_at <= c.created_at)`,
    );
    expect(orphans.n).toBe(0);

    // About a third of 90 days is the last 30: the data is spread, not bunched.
    const recent = await one<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM conversation_metadata WHERE created_at >= '${new Date(NOW.getTime() - 30 * 86_400_000).toISOString()}'`,
    );
    expect(recent.n).toBeGreaterThan(900);
    expect(recent.n).toBeLessThan(1_100);

    const links = await one<Record<string, number>>(
      db,
      `SELECT (SELECT count(*) FROM github_app_installations)::int AS github,
              (SELECT count(*) FROM slack_workspaces)::int AS slack_workspaces,
              (SELECT count(*) FROM slack_users)::int AS slack_users,
              (SELECT count(*) FROM jira_users)::int AS jira_users,
              (SELECT count(*) FROM linear_users)::int AS linear_users,
              (SELECT count(*) FROM slack_users s WHERE NOT EXISTS
                 (SELECT 1 FROM user_settings u WHERE u.keycloak_user_id = s.keycloak_user_id))::int AS dangling`,
    );
    expect(links).toEqual({
      github: 1,
      slack_workspaces: 3,
      slack_users: 20,
      jira_users: 8,
      linear_users: 4,
      dangling: 0,
    });

    // Too few rows to take the indexes down, so there is nothing to rebuild.
    expect([...new Set(progress.map((p) => p.phase))]).toEqual(['users', 'conversations', 'integrations', 'vacuum']);
    expect(progress.filter((p) => p.phase === 'conversations').at(-1)).toEqual({
      phase: 'conversations',
      done: 3_000,
      total: 3_000,
    });
  });

  it('adds to what an earlier run seeded, with ids of its own', async () => {
    await seedDemoData(db, { users: 100, conversations: 300, now: NOW });
    await seedDemoData(db, { users: 100, conversations: 300, now: NOW });
    const counts = await one<{ users: number; conversations: number }>(
      db,
      `SELECT (SELECT count(*) FROM user_settings)::int AS users,
              (SELECT count(*) FROM conversation_metadata)::int AS conversations`,
    );
    expect(counts).toEqual({ users: 200, conversations: 600 });
  });

  it('refuses conversations without users, and counts that are not whole numbers', async () => {
    await expect(seedDemoData(db, { users: 0, conversations: 1, now: NOW })).rejects.toThrow(
      'conversations need users',
    );
    await expect(seedDemoData(db, { users: -1, conversations: 0, now: NOW })).rejects.toThrow('whole number');
    await expect(seedDemoData(db, { users: 1.5, conversations: 0, now: NOW })).rejects.toThrow('whole number');
  });

  it('rebuilds every index and constraint after a bulk load', async () => {
    const before = await schemaOf(db);
    const report = await seedDemoData(db, { users: 100_000, conversations: 100_000, now: NOW, salt: 11 });
    expect(report.bulk).toBe(true);
    expect(await schemaOf(db)).toEqual(before);
    const unique = await one<{ dupes: number }>(
      db,
      'SELECT (count(*) - count(DISTINCT keycloak_user_id))::int AS dupes FROM user_settings',
    );
    expect(unique.dupes).toBe(0);
  }, 300_000);
});
