import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';
import { windowsAt } from './support/windows.js';

type UserCounts = { total_users: number; active_users: number };
type ConversationCounts = { total_conversations: number; conversations_30d: number; conversations_7d: number };

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

  async collect({ db, now, signal }: CollectorContext): Promise<MetricResult[]> {
    const { since7d, since30d } = windowsAt(now);
    // Both counts read the primary key and the partial index on accepted_tos, not the table.
    const users = await db.query<UserCounts>(
      `SELECT (SELECT count(*) FROM user_settings)::int AS total_users,
              (SELECT count(*) FROM user_settings WHERE accepted_tos IS NOT NULL)::int AS active_users`,
    );
    signal.throwIfAborted();
    // One pass for the three counts; the windows are FILTERs, not three scans.
    const conversations = await db.query<ConversationCounts>(
      `SELECT count(*)::int AS total_conversations,
              count(*) FILTER (WHERE created_at >= $1 AND created_at <= $3)::int AS conversations_30d,
              count(*) FILTER (WHERE created_at >= $2 AND created_at <= $3)::int AS conversations_7d
       FROM conversation_metadata`,
      [since30d, since7d, now],
    );
    signal.throwIfAborted();
    // DISTINCT ON over (user_id, created_at DESC) walks that index in order: no hash of every user.
    const active = await db.query<{ active_users_30d: number }>(
      `SELECT count(*)::int AS active_users_30d
       FROM (SELECT DISTINCT ON (user_id) user_id
             FROM conversation_metadata
             WHERE created_at >= $1 AND created_at <= $2
             ORDER BY user_id) AS active`,
      [since30d, now],
    );
    return toResults({ ...users.rows[0], ...conversations.rows[0], ...active.rows[0] });
  }
}

function toResults(row: Record<string, number | undefined>): MetricResult[] {
  return Object.entries(row).map(([key, value]) => ({ key, value: value ?? 0 }));
}
