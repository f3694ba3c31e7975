import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { windowsAt } from './support/windows.js';

type Window = {
  avg_daily_conversations_7d: number;
  avg_daily_conversations_30d: number;
  conversation_cost_usd_7d: number;
  conversation_cost_usd_30d: number;
  avg_conversation_cost_usd_30d: number;
  prompt_tokens_7d: number;
  prompt_tokens_30d: number;
  completion_tokens_7d: number;
  completion_tokens_30d: number;
  total_tokens_7d: number;
};

/** Volume, LLM cost and token use of the conversations of the last 7 and 30 days. */
@registerCollector('conversation_metrics')
export class ConversationMetricsCollector extends MetricsCollector {
  static override readonly metrics = [
    { key: 'avg_daily_conversations_7d', description: 'Conversations per day over the last 7 days, two decimals.' },
    { key: 'avg_daily_conversations_30d', description: 'Conversations per day over the last 30 days, two decimals.' },
    { key: 'conversation_cost_usd_7d', description: 'LLM cost of the conversations of the last 7 days, USD.' },
    { key: 'conversation_cost_usd_30d', description: 'LLM cost of the conversations of the last 30 days, USD.' },
    {
      key: 'avg_conversation_cost_usd_30d',
      description: 'Mean LLM cost per conversation over the last 30 days, USD, four decimals (0 without any).',
    },
    { key: 'prompt_tokens_7d', description: 'Prompt tokens of the conversations of the last 7 days.' },
    { key: 'prompt_tokens_30d', description: 'Prompt tokens of the conversations of the last 30 days.' },
    { key: 'completion_tokens_7d', description: 'Completion tokens of the conversations of the last 7 days.' },
    { key: 'completion_tokens_30d', description: 'Completion tokens of the conversations of the last 30 days.' },
    { key: 'total_tokens_7d', description: 'Total tokens of the conversations of the last 7 days.' },
  ];

  readonly collectorName = 'conversation_metrics';

  async collect({ db, now }: CollectorContext): Promise<MetricResult[]> {
    const { since7d, since30d } = windowsAt(now);
    // One pass over the 30-day window; the 7-day figures are FILTERs of the same rows.
    const { rows } = await db.query<Window>(
      `SELECT round(count(*) FILTER (WHERE created_at >= $2) / 7.0, 2)::float8 AS avg_daily_conversations_7d,
              round(count(*) / 30.0, 2)::float8 AS avg_daily_conversations_30d,
              round(coalesce(sum(accumulated_cost) FILTER (WHERE created_at >= $2), 0)::numeric, 2)::float8
                AS conversation_cost_usd_7d,
              round(coalesce(sum(accumulated_cost), 0)::numeric, 2)::float8 AS conversation_cost_usd_30d,
              CASE WHEN count(*) = 0 THEN 0
                   ELSE round((sum(accumulated_cost) / count(*))::numeric, 4) END::float8
                AS avg_conversation_cost_usd_30d,
              coalesce(sum(prompt_tokens) FILTER (WHERE created_at >= $2), 0)::bigint AS prompt_tokens_7d,
              coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens_30d,
              coalesce(sum(completion_tokens) FILTER (WHERE created_at >= $2), 0)::bigint AS completion_tokens_7d,
              coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens_30d,
              coalesce(sum(total_tokens) FILTER (WHERE created_at >= $2), 0)::bigint AS total_tokens_7d
       FROM conversation_metadata
       WHERE created_at >= $1 AND created_at <= $3`,
      [since30d, since7d, now],
    );
    const row = rows[0];
    return row ? Object.entries(row).map(([key, value]) => ({ key, value })) : [];
  }
}
