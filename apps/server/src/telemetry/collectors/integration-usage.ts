import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';

type Integrations = {
  github_app_installations: number;
  slack_workspaces: number;
  slack_users: number;
  jira_workspaces: number;
  jira_users: number;
  linear_workspaces: number;
  linear_users: number;
};

/** Which integrations the installation uses, and by how many people. */
@registerCollector('integration_usage')
export class IntegrationUsageCollector extends MetricsCollector {
  static override readonly metrics = [
    { key: 'github_app_installations', description: 'GitHub App installations not removed.' },
    { key: 'slack_workspaces', description: 'Slack workspaces connected.' },
    { key: 'slack_users', description: 'Distinct OpenHands users linked to a Slack account.' },
    { key: 'jira_workspaces', description: 'Active Jira workspaces.' },
    { key: 'jira_users', description: 'Distinct OpenHands users with an active link to an active Jira workspace.' },
    { key: 'linear_workspaces', description: 'Active Linear workspaces.' },
    { key: 'linear_users', description: 'Distinct OpenHands users with an active link to an active Linear workspace.' },
  ];

  readonly collectorName = 'integration_usage';

  async collect({ db }: CollectorContext): Promise<MetricResult[]> {
    // A person linked in two workspaces is one user, and a link into a workspace switched off
    // does not count. GROUP BY hashes the ids; count(DISTINCT) would sort them.
    const { rows } = await db.query<Integrations>(
      `SELECT (SELECT count(*) FROM github_app_installations WHERE removed_at IS NULL)::int AS github_app_installations,
              (SELECT count(*) FROM slack_workspaces)::int AS slack_workspaces,
              (SELECT count(*) FROM (SELECT keycloak_user_id FROM slack_users GROUP BY 1) AS linked)::int AS slack_users,
              (SELECT count(*) FROM jira_workspaces WHERE status = 'active')::int AS jira_workspaces,
              (SELECT count(*) FROM (SELECT u.keycloak_user_id FROM jira_users u
                JOIN jira_workspaces w ON w.id = u.jira_workspace_id
                WHERE u.status = 'active' AND w.status = 'active' GROUP BY 1) AS linked)::int AS jira_users,
              (SELECT count(*) FROM linear_workspaces WHERE status = 'active')::int AS linear_workspaces,
              (SELECT count(*) FROM (SELECT u.keycloak_user_id FROM linear_users u
                JOIN linear_workspaces w ON w.id = u.linear_workspace_id
                WHERE u.status = 'active' AND w.status = 'active' GROUP BY 1) AS linked)::int AS linear_users`,
    );
    const row = rows[0];
    return row ? Object.entries(row).map(([key, value]) => ({ key, value })) : [];
  }
}
