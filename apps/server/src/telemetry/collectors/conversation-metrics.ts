import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { ratio, round } from './support/numbers.js';
import { conversationWindow } from './support/shared-queries.js';

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

  async collect(ctx: CollectorContext): Promise<MetricResult[]> {
    const { total } = await conversationWindow(ctx);
    return [
      { key: 'avg_daily_conversations_7d', value: round(total.conversations_7d / 7, 2) },
      { key: 'avg_daily_conversations_30d', value: round(total.conversations_30d / 30, 2) },
      { key: 'conversation_cost_usd_7d', value: round(total.cost_usd_7d, 2) },
      { key: 'conversation_cost_usd_30d', value: round(total.cost_usd_30d, 2) },
      { key: 'avg_conversation_cost_usd_30d', value: round(ratio(total.cost_usd_30d, total.conversations_30d), 4) },
      { key: 'prompt_tokens_7d', value: total.prompt_tokens_7d },
      { key: 'prompt_tokens_30d', value: total.prompt_tokens_30d },
      { key: 'completion_tokens_7d', value: total.completion_tokens_7d },
      { key: 'completion_tokens_30d', value: total.completion_tokens_30d },
      { key: 'total_tokens_7d', value: total.total_tokens_7d },
    ];
  }
}
