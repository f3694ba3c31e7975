import type { Queryable } from '@openhands/db';

/**
 * A small installation whose every count is known by hand (see the expectations in the tests).
 * Times are relative to NOW, the collection's clock, and include conversations exactly on the 7-
 * and 30-day boundaries and one a millisecond outside each.
 */
export const NOW = new Date('2026-03-01T12:00:00.000Z');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

interface UserRow {
  id: string;
  email: string | null;
  acceptedTos: Date | null;
  consent: boolean | null;
}

export const USERS: UserRow[] = [
  { id: 'u1', email: 'ada@example.com', acceptedTos: at(-90 * DAY), consent: true },
  { id: 'u2', email: null, acceptedTos: at(-80 * DAY), consent: false },
  { id: 'u3', email: 'cy@example.com', acceptedTos: null, consent: null },
  { id: 'u4', email: 'dee@example.com', acceptedTos: at(-70 * DAY), consent: true },
  { id: 'u5', email: 'eve@example.com', acceptedTos: at(-60 * DAY), consent: null },
  { id: 'u6', email: 'fay@example.com', acceptedTos: at(-50 * DAY), consent: false },
];

type ConversationRow = [
  user: string,
  createdAt: Date,
  model: string | null,
  provider: string | null,
  trigger: string | null,
  promptTokens: number,
  completionTokens: number,
  cost: number,
];

const SONNET = 'anthropic/claude-sonnet-4-5';
const GPT5 = 'openai/gpt-5';
const GEMINI = 'gemini/gemini-2.5-pro';
const DEEPSEEK = 'deepseek/deepseek-chat';
const DEVSTRAL = 'mistral/devstral';
const O3 = 'openai/o3';

export const CONVERSATIONS: ConversationRow[] = [
  // Inside the 7-day window (the fifth exactly on its boundary).
  ['u1', at(-HOUR), SONNET, 'github', 'gui', 800, 200, 0.5],
  ['u1', at(-DAY), SONNET, 'github', 'gui', 800, 200, 0.5],
  ['u1', at(-2 * DAY), GPT5, 'github', 'slack', 800, 200, 0.5],
  ['u1', at(-6 * DAY), 'OpenAI/GPT-5', 'gitlab', 'gui', 0, 0, 0],
  ['u4', at(-7 * DAY), DEVSTRAL, 'github', 'slack', 800, 200, 0.5],
  // Inside the 30-day window only (the first a millisecond before the 7-day boundary, the
  // u2 one exactly on the 30-day boundary).
  ['u1', at(-7 * DAY - 1), GEMINI, 'github', 'gui', 800, 200, 0.25],
  ['u1', at(-10 * DAY), GEMINI, 'gitlab', 'slack', 800, 200, 0.25],
  ['u1', at(-20 * DAY), DEEPSEEK, 'github', 'gui', 800, 200, 0.25],
  ['u1', at(-29 * DAY), DEEPSEEK, null, 'gui', 800, 200, 0.25],
  ['u2', at(-30 * DAY), DEVSTRAL, 'Azure DevOps', 'Jira DC', 800, 200, 0.25],
  ['u4', at(-8 * DAY), O3, 'gitlab', 'gui', 800, 200, 0.25],
  ['u4', at(-9 * DAY), O3, 'github', 'gui', 800, 200, 0.25],
  ['u4', at(-12 * DAY), SONNET, 'github', null, 800, 200, 0.25],
  ['u4', at(-15 * DAY), SONNET, 'gitlab', 'gui', 800, 200, 0.25],
  ['u4', at(-18 * DAY), SONNET, null, 'slack', 0, 0, 0],
  ['u6', at(-7 * DAY - 1), GPT5, 'github', 'gui', 800, 200, 0.25],
  ['u6', at(-14 * DAY), GPT5, 'gitlab', 'gui', 800, 200, 0.25],
  ['u6', at(-21 * DAY), GEMINI, null, 'gui', 800, 200, 0.25],
  ['u6', at(-28 * DAY), null, 'github', null, 800, 200, 0.25],
  // Outside both windows: a millisecond too old, long ago, and after the collection's clock.
  ['u2', at(-30 * DAY - 1), SONNET, 'github', 'gui', 800, 200, 0.25],
  ['u1', at(-60 * DAY), O3, 'github', 'gui', 800, 200, 0.25],
  ['u1', at(HOUR), O3, 'github', 'gui', 800, 200, 0.25],
];

export async function insertKnownUsersAndConversations(db: Queryable): Promise<void> {
  for (const user of USERS) {
    await db.query(
      `INSERT INTO user_settings (keycloak_user_id, email, accepted_tos, user_consents_to_analytics, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [user.id, user.email, user.acceptedTos, user.consent, at(-100 * DAY)],
    );
  }
  for (const [index, row] of CONVERSATIONS.entries()) {
    const [user, createdAt, model, provider, trigger, prompt, completion, cost] = row;
    await db.query(
      `INSERT INTO conversation_metadata (conversation_id, user_id, title, created_at, last_updated_at, llm_model,
         git_provider, trigger, prompt_tokens, completion_tokens, total_tokens, accumulated_cost)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        `c${index + 1}`,
        user,
        `Conversation ${index + 1}`,
        createdAt,
        model,
        provider,
        trigger,
        prompt,
        completion,
        prompt + completion,
        cost,
      ],
    );
  }
}

export async function insertKnownIntegrations(db: Queryable): Promise<void> {
  await db.exec(`
    INSERT INTO github_app_installations (installation_id, account_login, removed_at) VALUES
      (1, 'acme', NULL), (2, 'globex', NULL), (3, 'initech', '2026-02-01T00:00:00Z');
    INSERT INTO slack_workspaces (team_id, team_name) VALUES ('T1', 'Acme'), ('T2', 'Globex');
    INSERT INTO slack_users (keycloak_user_id, slack_user_id, slack_team_id) VALUES
      ('u1', 'S1', 'T1'), ('u1', 'S2', 'T2'), ('u4', 'S3', 'T1');
    INSERT INTO jira_workspaces (id, name, jira_cloud_id, status) VALUES
      (1, 'Acme', 'cloud-1', 'active'), (2, 'Globex', 'cloud-2', 'active'), (3, 'Old', 'cloud-3', 'inactive');
    INSERT INTO jira_users (keycloak_user_id, jira_user_id, jira_workspace_id, status) VALUES
      ('u1', 'J1', 1, 'active'), ('u4', 'J2', 1, 'inactive'), ('u6', 'J3', 2, 'active'), ('u1', 'J4', 2, 'active');
    INSERT INTO linear_workspaces (id, name, linear_org_id, status) VALUES
      (1, 'Acme', 'org-1', 'active'), (2, 'Gone', 'org-2', 'inactive');
    INSERT INTO linear_users (keycloak_user_id, linear_user_id, linear_workspace_id, status) VALUES
      ('u4', 'L1', 1, 'active'), ('u5', 'L2', 2, 'active');
  `);
}

/** Every table the collectors read, emptied between tests that share one database. */
export async function emptyAllTables(db: Queryable): Promise<void> {
  await db.exec(`
    TRUNCATE conversation_metadata, user_settings, github_app_installations, slack_users, slack_workspaces,
      jira_users, jira_workspaces, linear_users, linear_workspaces, telemetry_metrics CASCADE`);
}
