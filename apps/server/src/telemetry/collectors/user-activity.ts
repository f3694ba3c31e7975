import type { Queryable } from '@openhands/db';
import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { countsByKeyPart } from './support/keys.js';
import { type Windows, windowsAt } from './support/windows.js';

const TOP_MODELS = 5;

type Engagement = {
  active_users_7d: number;
  engaged_users_30d: number;
  avg_conversations_per_user_30d: number;
};

type BreakdownRow = {
  by_model: boolean;
  by_provider: boolean;
  by_trigger: boolean;
  llm_model: string | null;
  git_provider: string | null;
  trigger: string | null;
  conversations: number;
  tokens: number;
  with_tokens: number;
};

/** How people use the product: engagement, models, git providers, triggers and tokens. */
@registerCollector('user_activity')
export class UserActivityCollector extends MetricsCollector {
  static override readonly metrics = [
    { key: 'active_users_7d', description: 'Distinct users who created a conversation in the last 7 days.' },
    {
      key: 'avg_conversations_per_user_30d',
      description: 'Conversations per user who created one in the last 30 days, two decimals (0 when none did).',
    },
    { key: 'engaged_users_30d', description: 'Users who created more than one conversation in the last 30 days.' },
    { key: 'users_with_analytics_consent', description: 'Users who consented to product analytics.' },
    {
      key: 'model_usage_<model>',
      description: 'Conversations in the last 30 days per LLM model, for the five most used models.',
    },
    { key: 'git_provider_<provider>', description: 'Conversations in the last 30 days per git provider.' },
    { key: 'trigger_<trigger>', description: 'Conversations in the last 30 days per trigger (UI, Slack, Jira, API…).' },
    {
      key: 'avg_tokens_per_conversation_30d',
      description: 'Mean total tokens of the conversations of the last 30 days that used any, rounded.',
    },
    { key: 'total_tokens_30d', description: 'Total tokens of the conversations of the last 30 days.' },
  ];

  readonly collectorName = 'user_activity';

  async collect({ db, now, signal }: CollectorContext): Promise<MetricResult[]> {
    const windows = windowsAt(now);
    const engagement = await engagementOf(db, windows);
    signal.throwIfAborted();
    const consent = await db.query<{ users_with_analytics_consent: number }>(
      // Reads the partial index on consenting users only.
      'SELECT count(*)::int AS users_with_analytics_consent FROM user_settings WHERE user_consents_to_analytics',
    );
    signal.throwIfAborted();
    const breakdown = await breakdownOf(db, windows);
    return [
      { key: 'active_users_7d', value: engagement.active_users_7d },
      { key: 'avg_conversations_per_user_30d', value: engagement.avg_conversations_per_user_30d },
      { key: 'engaged_users_30d', value: engagement.engaged_users_30d },
      { key: 'users_with_analytics_consent', value: consent.rows[0]?.users_with_analytics_consent ?? 0 },
      ...breakdown,
    ];
  }
}

/**
 * Every per-user figure in one pass. The ordered subquery (fenced by OFFSET 0) makes PostgreSQL
 * walk the (user_id, created_at DESC) index in order and group as it goes, instead of hashing
 * hundreds of thousands of user ids, which spills to disk at the default work_mem.
 */
async function engagementOf(db: Queryable, { now, since7d, since30d }: Windows): Promise<Engagement> {
  const { rows } = await db.query<Engagement>(
    `SELECT count(*) FILTER (WHERE last_created_at >= $2)::int AS active_users_7d,
            count(*) FILTER (WHERE conversations > 1)::int AS engaged_users_30d,
            CASE WHEN count(*) = 0 THEN 0
                 ELSE round(sum(conversations)::numeric / count(*), 2) END::float8 AS avg_conversations_per_user_30d
     FROM (SELECT user_id, count(*) AS conversations, max(created_at) AS last_created_at
           FROM (SELECT user_id, created_at
                 FROM conversation_metadata
                 WHERE created_at >= $1 AND created_at <= $3
                 ORDER BY user_id
                 OFFSET 0) AS recent
           GROUP BY user_id) AS per_user`,
    [since30d, since7d, now],
  );
  return rows[0] ?? { active_users_7d: 0, engaged_users_30d: 0, avg_conversations_per_user_30d: 0 };
}

/**
 * Models, providers, triggers and tokens of the window in one pass: the conversations are
 * grouped once by all three, then the few groups are rolled up per dimension.
 */
async function breakdownOf(db: Queryable, { now, since30d }: Windows): Promise<MetricResult[]> {
  const { rows } = await db.query<BreakdownRow>(
    `WITH groups AS (
       SELECT llm_model, git_provider, trigger, count(*) AS conversations,
              sum(total_tokens) AS tokens, count(*) FILTER (WHERE total_tokens > 0) AS with_tokens
       FROM conversation_metadata
       WHERE created_at >= $1 AND created_at <= $2
       GROUP BY llm_model, git_provider, trigger
     )
     SELECT GROUPING(llm_model) = 0 AS by_model, GROUPING(git_provider) = 0 AS by_provider,
            GROUPING(trigger) = 0 AS by_trigger, llm_model, git_provider, trigger,
            coalesce(sum(conversations), 0)::bigint AS conversations,
            coalesce(sum(tokens), 0)::bigint AS tokens,
            coalesce(sum(with_tokens), 0)::bigint AS with_tokens
     FROM groups
     GROUP BY GROUPING SETS ((llm_model), (git_provider), (trigger), ())`,
    [since30d, now],
  );
  const counts = (pick: (row: BreakdownRow) => string | null, isDimension: (row: BreakdownRow) => boolean) =>
    countsByKeyPart(
      rows.flatMap((row) => {
        const name = pick(row);
        return isDimension(row) && name !== null ? [{ name, count: row.conversations }] : [];
      }),
    );
  const models = counts(
    (row) => row.llm_model,
    (row) => row.by_model,
  ).slice(0, TOP_MODELS);
  const providers = counts(
    (row) => row.git_provider,
    (row) => row.by_provider,
  );
  const triggers = counts(
    (row) => row.trigger,
    (row) => row.by_trigger,
  );
  const total = rows.find((row) => !row.by_model && !row.by_provider && !row.by_trigger);
  const tokens = total?.tokens ?? 0;
  const withTokens = total?.with_tokens ?? 0;
  return [
    ...models.map(({ name, count }) => ({ key: `model_usage_${name}`, value: count })),
    ...providers.map(({ name, count }) => ({ key: `git_provider_${name}`, value: count })),
    ...triggers.map(({ name, count }) => ({ key: `trigger_${name}`, value: count })),
    { key: 'avg_tokens_per_conversation_30d', value: withTokens === 0 ? 0 : Math.round(tokens / withTokens) },
    { key: 'total_tokens_30d', value: tokens },
  ];
}
