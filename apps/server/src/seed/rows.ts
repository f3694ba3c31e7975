import type { Queryable } from '@openhands/db';
import { GIT_PROVIDERS, MODELS, TITLES, TRIGGERS } from './catalogue.js';
import { derivedHexId, derivedUuid, literal, pickByWeight } from './sql.js';

/**
 * What the demo rows look like: the statements that generate them inside PostgreSQL, a chunk
 * of row numbers at a time. Ids derive from the row number and the run's salt, so that a
 * conversation can name its user without a join.
 */

/** Users who existed before the span: the rest join at an even pace during it. */
const EARLY_USER_SHARE = 0.3;

/**
 * Users $1..$2 of $3. The first 30 % existed before the span; the others join evenly during it,
 * so user i exists from a known time on and conversations can pick only users who exist. One
 * in twenty has no email; three in twenty never accepted the Terms.
 */
export function insertUsersSql(salt: number): string {
  const models = pickByWeight('random()', MODELS, (model) => literal(model.name));
  return `
    WITH p AS (SELECT $3::float8 AS users, floor($3::float8 * ${EARLY_USER_SHARE}) AS early,
                      $4::float8 AS end_epoch, $5::float8 AS span)
    INSERT INTO user_settings (keycloak_user_id, email, email_verified, accepted_tos, user_consents_to_analytics,
                               llm_model, created_at)
    SELECT ${derivedUuid('i', salt)},
           CASE WHEN i % 20 = 7 THEN NULL ELSE 'user' || i || '.' || ${literal(salt.toString(36))} || '@example.com' END,
           -- Keycloak verified every email it holds, so the first to accept the Terms is the admin.
           i % 20 <> 7,
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
export function insertConversationsSql(salt: number): string {
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
export async function insertIntegrations(q: Queryable, users: number, salt: number, endEpoch: number): Promise<number> {
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
