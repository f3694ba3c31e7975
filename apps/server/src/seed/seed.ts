import { randomInt } from 'node:crypto';
import type { Db, Queryable } from '@openhands/db';
import { estimatedRows, type IndexPlan, planIndexRebuild } from './bulk-load.js';
import { GIT_PROVIDERS, MODELS, TITLES, TRIGGERS } from './catalogue.js';
import { derivedHexId, derivedUuid, literal, pickByWeight } from './sql.js';

const DAY_SECONDS = 86_400;
/** Demo data spans the last 90 days. */
const SPAN_DAYS = 90;
/** Users who existed before the span: the rest join at an even pace during it. */
const EARLY_USER_SHARE = 0.3;
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
 * nothing behind.
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
  // visibility map that lets the counts read indexes only, as autovacuum would leave them.
  await timed('vacuum', async () => {
    await db.exec('VACUUM (ANALYZE) user_settings, conversation_metadata');
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

/**
 * Users $1..$2 of $3. The first 30 % existed before the span; the others join evenly during it,
 * so user i exists from a known time on and conversations can pick only users who exist. One
 * in twenty has no email; three in twenty never accepted the Terms.
 */
function insertUsersSql(salt: number): string {
  const models = pickByWeight('random()', MODELS, (model) => literal(model.name));
  return `
    WITH p AS (SELECT $3::float8 AS users, floor($3::float8 * ${EARLY_USER_SHARE}) AS early,
                      $4::float8 AS end_epoch, $5::float8 AS span)
    INSERT INTO user_settings (keycloak_user_id, email, accepted_tos, user_consents_to_analytics, llm_model, created_at)
    SELECT ${derivedUuid('i', salt)},
           CASE WHEN i % 20 = 7 THEN NULL ELSE 'user' || i || '.' || ${literal(salt.toString(36))} || '@example.com' END,
           CASE WHEN i % 20 IN (3, 11, 17) THEN NULL ELSE least(joined + interval '3 minutes', to_timestamp(end_epoch)) END,
           CASE WHEN i % 10 < 6 THEN true WHEN i % 10 < 8 THEN false END,
           CASE WHEN i % 4 = 0 THEN ${models} END,
           joined
    FROM (SELECT i, end_epoch,
                 CASE WHEN i < early THEN to_timestamp(end_epoch - span - span / 3 * random())
                      ELSE to_timestamp(end_epoch - span + span * (i - early) / greatest(users - early, 1)) END AS joined
          FROM p, generate_series($1::bigint, $2::bigint) AS i) AS u`;
}

/**
 * Conversations $1..$2 of $3 over users 0..$4-1, in the order they happened. Each picks among
 * the users who exist at its time, a cubed draw making early users heavy ones, and moves off a
 * user who never accepted the Terms to the neighbour who did.
 */
function insertConversationsSql(salt: number): string {
  const modelIndex = pickByWeight(
    'r_model',
    MODELS.map((entry, index) => ({ value: index + 1, weight: entry.weight })),
    String,
  );
  const names = `ARRAY[${MODELS.map((entry) => literal(entry.value.name)).join(', ')}]`;
  const inputPrices = `ARRAY[${MODELS.map((entry) => literal(entry.value.inputUsdPerMillion)).join(', ')}]::float8[]`;
  const outputPrices = `ARRAY[${MODELS.map((entry) => literal(entry.value.outputUsdPerMillion)).join(', ')}]::float8[]`;
  const titles = `ARRAY[${TITLES.map(literal).join(', ')}]`;
  return `
    WITH p AS (SELECT $3::float8 AS conversations, $4::float8 AS users, floor($4::float8 * ${EARLY_USER_SHARE}) AS early,
                      $5::float8 AS end_epoch, $6::float8 AS span)
    INSERT INTO conversation_metadata (conversation_id, user_id, title, created_at, last_updated_at, git_provider,
      trigger, llm_model, accumulated_cost, prompt_tokens, completion_tokens, total_tokens)
    SELECT ${derivedHexId('i', salt + 2)},
           ${derivedUuid('CASE WHEN pick % 20 IN (3, 11, 17) THEN pick - 1 ELSE pick END', salt)},
           (${titles})[1 + i % ${TITLES.length}],
           created_at,
           least(created_at + make_interval(secs => r_duration * 7200), to_timestamp(end_epoch)),
           ${pickByWeight('r_provider', GIT_PROVIDERS, literal)},
           ${pickByWeight('r_trigger', TRIGGERS, literal)},
           (${names})[model],
           round((prompt * (${inputPrices})[model] + completion * (${outputPrices})[model]) / 100) / 10000,
           prompt, completion, prompt + completion
    FROM (
      SELECT i, end_epoch, created_at, r_duration, r_provider, r_trigger, ${modelIndex} AS model, pick, prompt,
             (prompt * (0.05 + 0.15 * r_completion))::bigint AS completion
      FROM (
        SELECT i, end_epoch, to_timestamp(end_epoch - span + span * (i + random()) / conversations) AS created_at,
               random() AS r_duration, random() AS r_provider, random() AS r_trigger, random() AS r_model,
               random() AS r_completion,
               -- 3 % never got going; the others' prompt tokens are exponential, mean 40 000.
               CASE WHEN random() < 0.03 THEN 0 ELSE (-ln(1 - random()) * 40000)::bigint END AS prompt,
               -- Users 0..early-1 exist from the start; the rest join evenly over the span.
               least(floor((early + (users - early) * (i + 0.5) / conversations) * power(random(), 3)), users - 1)::bigint
                 AS pick
        FROM p, generate_series($1::bigint, $2::bigint) AS i) AS drawn
    ) AS shaped`;
}

/**
 * GitHub App installations, Slack, Jira and Linear workspaces with linked users: a few
 * workspaces, one of each kind switched off, and a share of the users linked to each.
 */
async function insertIntegrations(q: Queryable, users: number, salt: number, endEpoch: number): Promise<number> {
  const tag = literal(salt.toString(36));
  const base = salt * 1_000_000;
  const counts = [
    await q.query(
      `INSERT INTO github_app_installations (installation_id, account_login, account_type, installed_by_user_id, removed_at)
       SELECT ${base} + k, 'org-' || k || '-' || ${tag}, CASE WHEN k % 5 = 0 THEN 'User' ELSE 'Organization' END,
              ${derivedUuid('(k * 20)', salt)}, CASE WHEN k % 10 = 9 THEN to_timestamp($2::float8) - interval '20 days' END
       FROM generate_series(0, greatest(ceil($1::float8 / 2000)::int, 1) - 1) AS k`,
      [users, endEpoch],
    ),
    await q.query(
      `INSERT INTO slack_workspaces (team_id, team_name)
       SELECT 'T' || ${tag} || k, 'Slack workspace ' || k FROM generate_series(0, 2) AS k`,
    ),
    await q.query(
      `INSERT INTO slack_users (keycloak_user_id, slack_user_id, slack_team_id)
       SELECT ${derivedUuid('(k * 20)', salt)}, 'U' || ${tag} || k, 'T' || ${tag} || (k % 3)
       FROM generate_series(0, floor($1::float8 / 20)::int - 1) AS k`,
      [users],
    ),
    await q.query(
      `WITH workspaces AS (
         INSERT INTO jira_workspaces (name, jira_cloud_id, status)
         SELECT 'Jira site ' || k, 'cloud-' || ${tag} || '-' || k, CASE WHEN k = 1 THEN 'inactive' ELSE 'active' END
         FROM generate_series(0, 1) AS k
         RETURNING id)
       INSERT INTO jira_users (keycloak_user_id, jira_user_id, jira_workspace_id, status)
       SELECT ${derivedUuid('(k * 50)', salt)}, 'jira-' || ${tag} || '-' || k,
              (SELECT array_agg(id ORDER BY id) FROM workspaces)[1 + k % 2],
              CASE WHEN k % 7 = 0 THEN 'inactive' ELSE 'active' END
       FROM generate_series(0, floor($1::float8 / 50)::int - 1) AS k`,
      [users],
    ),
    await q.query(
      `WITH workspaces AS (
         INSERT INTO linear_workspaces (name, linear_org_id) VALUES ('Linear', 'org-' || ${tag}) RETURNING id)
       INSERT INTO linear_users (keycloak_user_id, linear_user_id, linear_workspace_id)
       SELECT ${derivedUuid('(k * 100)', salt)}, 'linear-' || ${tag} || '-' || k, (SELECT id FROM workspaces)
       FROM generate_series(0, floor($1::float8 / 100)::int - 1) AS k`,
      [users],
    ),
  ];
  // Two workspaces come with the Jira and Linear inserts; affectedRows counts only the users.
  return counts.reduce((sum, result) => sum + result.affectedRows, 0) + 3;
}
