import type { Db } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/migrations.js';
import { ConversationMetricsCollector } from '../../src/telemetry/collectors/conversation-metrics.js';
import { IntegrationUsageCollector } from '../../src/telemetry/collectors/integration-usage.js';
import { SystemMetricsCollector } from '../../src/telemetry/collectors/system-metrics.js';
import { UserActivityCollector } from '../../src/telemetry/collectors/user-activity.js';
import { asMap, contextFor } from './context.js';
import { emptyAllTables, insertKnownIntegrations, insertKnownUsersAndConversations } from './known-data.js';

// The expectations below are counted by hand from known-data.ts.
describe.each(TEST_BACKENDS)('usage collectors on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind, allMigrations);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await emptyAllTables(db);
  });

  describe('on known data', () => {
    beforeEach(async () => {
      await insertKnownUsersAndConversations(db);
      await insertKnownIntegrations(db);
    });

    it('system_metrics counts users and conversations, boundaries inclusive', async () => {
      expect(asMap(await new SystemMetricsCollector().collect(contextFor(db)))).toEqual({
        total_users: 6,
        active_users: 5,
        total_conversations: 22,
        conversations_30d: 19,
        conversations_7d: 5,
        active_users_30d: 4,
      });
    });

    it('user_activity reports engagement, the top five models, providers, triggers and tokens', async () => {
      expect(asMap(await new UserActivityCollector().collect(contextFor(db)))).toEqual({
        active_users_7d: 2,
        avg_conversations_per_user_30d: 4.75,
        engaged_users_30d: 3,
        users_with_analytics_consent: 2,
        // openai/gpt-5 and OpenAI/GPT-5 are one key; openai/o3 ties with the last two but sorts after them.
        model_usage_anthropic_claude_sonnet_4_5: 5,
        model_usage_openai_gpt_5: 4,
        model_usage_gemini_gemini_2_5_pro: 3,
        model_usage_deepseek_deepseek_chat: 2,
        model_usage_mistral_devstral: 2,
        git_provider_github: 10,
        git_provider_gitlab: 5,
        git_provider_azure_devops: 1,
        trigger_gui: 12,
        trigger_slack: 4,
        trigger_jira_dc: 1,
        avg_tokens_per_conversation_30d: 1000,
        total_tokens_30d: 17000,
      });
    });

    it('conversation_metrics reports volume, cost and tokens over 7 and 30 days', async () => {
      expect(asMap(await new ConversationMetricsCollector().collect(contextFor(db)))).toEqual({
        avg_daily_conversations_7d: 0.71,
        avg_daily_conversations_30d: 0.63,
        conversation_cost_usd_7d: 2,
        conversation_cost_usd_30d: 5.25,
        avg_conversation_cost_usd_30d: 0.2763,
        prompt_tokens_7d: 3200,
        prompt_tokens_30d: 13600,
        completion_tokens_7d: 800,
        completion_tokens_30d: 3400,
        total_tokens_7d: 4000,
      });
    });

    it('integration_usage counts live installations, workspaces and distinct linked users', async () => {
      expect(asMap(await new IntegrationUsageCollector().collect(contextFor(db)))).toEqual({
        github_app_installations: 2,
        slack_workspaces: 2,
        slack_users: 2,
        jira_workspaces: 2,
        jira_users: 2,
        linear_workspaces: 1,
        linear_users: 1,
      });
    });

    it('moves conversations out of the windows as the clock moves on by a millisecond', async () => {
      const later = new Date(contextFor(db).now.getTime() + 1);
      const system = asMap(await new SystemMetricsCollector().collect(contextFor(db, { now: later })));
      // The conversations exactly on the boundaries fall out; none is in the future any more.
      expect(system).toMatchObject({ conversations_30d: 18, conversations_7d: 4, active_users_30d: 3 });
      const activity = asMap(await new UserActivityCollector().collect(contextFor(db, { now: later })));
      expect(activity).toMatchObject({ active_users_7d: 1, engaged_users_30d: 3 });
    });
  });

  it('reports zeros, and no per-model, provider or trigger keys, on empty tables', async () => {
    const ctx = contextFor(db);
    expect(asMap(await new SystemMetricsCollector().collect(ctx))).toEqual({
      total_users: 0,
      active_users: 0,
      total_conversations: 0,
      conversations_30d: 0,
      conversations_7d: 0,
      active_users_30d: 0,
    });
    expect(asMap(await new UserActivityCollector().collect(ctx))).toEqual({
      active_users_7d: 0,
      avg_conversations_per_user_30d: 0,
      engaged_users_30d: 0,
      users_with_analytics_consent: 0,
      avg_tokens_per_conversation_30d: 0,
      total_tokens_30d: 0,
    });
    expect(asMap(await new ConversationMetricsCollector().collect(ctx))).toEqual({
      avg_daily_conversations_7d: 0,
      avg_daily_conversations_30d: 0,
      conversation_cost_usd_7d: 0,
      conversation_cost_usd_30d: 0,
      avg_conversation_cost_usd_30d: 0,
      prompt_tokens_7d: 0,
      prompt_tokens_30d: 0,
      completion_tokens_7d: 0,
      completion_tokens_30d: 0,
      total_tokens_7d: 0,
    });
    expect(asMap(await new IntegrationUsageCollector().collect(ctx))).toEqual({
      github_app_installations: 0,
      slack_workspaces: 0,
      slack_users: 0,
      jira_workspaces: 0,
      jira_users: 0,
      linear_workspaces: 0,
      linear_users: 0,
    });
  });

  it('counts users without an email like any other', async () => {
    await db.exec(`
      INSERT INTO user_settings (keycloak_user_id, email, accepted_tos) VALUES
        ('no-mail-1', NULL, '2026-02-01T00:00:00Z'), ('no-mail-2', NULL, NULL);
      INSERT INTO conversation_metadata (conversation_id, user_id, created_at, last_updated_at)
        VALUES ('x1', 'no-mail-1', '2026-02-28T00:00:00Z', '2026-02-28T00:00:00Z');`);
    expect(asMap(await new SystemMetricsCollector().collect(contextFor(db)))).toMatchObject({
      total_users: 2,
      active_users: 1,
      active_users_30d: 1,
    });
  });
});
