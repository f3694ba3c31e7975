import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { conversationUsers, userCounts } from './support/shared-queries.js';

/** The size of the installation: users, and conversations overall and lately. */
@registerCollector('system_metrics')
export class SystemMetricsCollector extends MetricsCollector {
  static override readonly metrics = [
    { key: 'total_users', description: 'Users known to the installation.' },
    { key: 'active_users', description: 'Users who have accepted the Terms of Service.' },
    { key: 'total_conversations', description: 'Conversations ever created.' },
    { key: 'conversations_30d', description: 'Conversations created in the last 30 days.' },
    { key: 'conversations_7d', description: 'Conversations created in the last 7 days.' },
    { key: 'active_users_30d', description: 'Distinct users who created a conversation in the last 30 days.' },
  ];

  readonly collectorName = 'system_metrics';

  async collect(ctx: CollectorContext): Promise<MetricResult[]> {
    const [users, conversations] = await Promise.all([userCounts(ctx), conversationUsers(ctx)]);
    return [
      { key: 'total_users', value: users.total },
      { key: 'active_users', value: users.accepted },
      { key: 'total_conversations', value: conversations.total_conversations },
      { key: 'conversations_30d', value: conversations.conversations_30d },
      { key: 'conversations_7d', value: conversations.conversations_7d },
      { key: 'active_users_30d', value: conversations.active_users_30d },
    ];
  }
}
