import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { countsByKeyPart } from './support/keys.js';
import { ratio, round } from './support/numbers.js';
import { conversationUsers, conversationWindow, userCounts } from './support/shared-queries.js';

const TOP_MODELS = 5;

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

  async collect(ctx: CollectorContext): Promise<MetricResult[]> {
    const [recent, users, window] = await Promise.all([
      conversationUsers(ctx),
      userCounts(ctx),
      conversationWindow(ctx),
    ]);
    const byKey = (counts: Array<{ name: string; conversations: number }>) =>
      countsByKeyPart(counts.map(({ name, conversations }) => ({ name, count: conversations })));
    const { total } = window;
    return [
      { key: 'active_users_7d', value: recent.active_users_7d },
      {
        key: 'avg_conversations_per_user_30d',
        value: round(ratio(recent.conversations_30d, recent.active_users_30d), 2),
      },
      { key: 'engaged_users_30d', value: recent.engaged_users_30d },
      { key: 'users_with_analytics_consent', value: users.consenting },
      ...byKey(window.byModel)
        .slice(0, TOP_MODELS)
        .map(({ name, count }) => ({ key: `model_usage_${name}`, value: count })),
      ...byKey(window.byProvider).map(({ name, count }) => ({ key: `git_provider_${name}`, value: count })),
      ...byKey(window.byTrigger).map(({ name, count }) => ({ key: `trigger_${name}`, value: count })),
      {
        key: 'avg_tokens_per_conversation_30d',
        value: Math.round(ratio(total.total_tokens_30d, total.with_tokens_30d)),
      },
      { key: 'total_tokens_30d', value: total.total_tokens_30d },
    ];
  }
}
