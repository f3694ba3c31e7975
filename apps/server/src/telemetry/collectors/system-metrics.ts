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
    const [users, total, recent] = await Promise.all([
      userCounts(ctx),
      ctx.db.query<{ total: number }>('SELECT count(*)::int AS total FROM conversation_metadata'),
      conversationUsers(ctx),
    ]);
    return [
      { key: 'total_users', value: users.total },
      { key: 'active_users', value: users.accepted },
      { key: 'total_conversations', value: total.rows[0]?.total ?? 0 },
      { key: 'conversations_30d', value: recent.conversations_30d },
      { key: 'conversations_7d', value: recent.conversations_7d },
      { key: 'active_users_30d', value: recent.active_users_30d },
    ];
  }
}
