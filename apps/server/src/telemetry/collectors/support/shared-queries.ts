import { type CollectorContext, sharedResult } from '@openhands/telemetry';
import { windowsAt } from './windows.js';

/**
 * The queries that several collectors read. Each is one pass over its table and runs once per
 * collection whichever collectors ask (see `sharedResult`): the conversations are read twice in
 * all (once per user, once per model/provider/trigger over the 30-day window), not once per
 * collector. Every window uses the collection's clock, never SQL `now()`.
 */

/**
 * Keeps a statement's plan serial. current_schema() is marked parallel unsafe, so its presence
 * anywhere in a statement rules out parallel workers (it is evaluated once, as a one-time
 * filter). Telemetry runs in the background beside the product's own queries and already runs
 * its passes side by side; on a 2-vCPU server a parallel plan of the window pass was measured
 * at 2.5 times the CPU of the serial one, for no gain in time. Parallel workers stay free for
 * the product.
 */
const SERIAL = 'current_schema() IS NOT NULL';

export type UserCounts = { total: number; accepted: number; consenting: number };

/** Users, those who accepted the Terms and those who consented to analytics: one pass. */
export function userCounts(ctx: CollectorContext): Promise<UserCounts> {
  return sharedResult(ctx, 'user_counts', async () => {
    const { rows } = await ctx.db.query<UserCounts>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE accepted_tos IS NOT NULL)::int AS accepted,
              count(*) FILTER (WHERE user_consents_to_analytics)::int AS consenting
       FROM user_settings
       WHERE ${SERIAL}`,
    );
    return rows[0] ?? { total: 0, accepted: 0, consenting: 0 };
  });
}

export type ConversationUsers = {
  total_conversations: number;
  conversations_30d: number;
  conversations_7d: number;
  active_users_30d: number;
  active_users_7d: number;
  engaged_users_30d: number;
};

/**
 * Every conversation count and every per-user figure in one pass. The ordered subquery (fenced
 * by OFFSET 0) makes PostgreSQL walk the (user_id, created_at DESC) index in order, reading the
 * index only, and group as it goes, instead of hashing hundreds of thousands of user ids (which
 * spills to disk at the default work_mem). The pass covers every conversation, so that the total
 * comes with it (the windows are FILTERs) rather than from a count(*) of its own: that would scan
 * the whole table, and a scan of a table larger than a quarter of shared_buffers goes through a
 * small ring of buffers, so it reads every page from the operating system each time, while this
 * index stays cached.
 */
export function conversationUsers(ctx: CollectorContext): Promise<ConversationUsers> {
  return sharedResult(ctx, 'conversation_users', async () => {
    const { now, since7d, since30d } = windowsAt(ctx.now);
    const { rows } = await ctx.db.query<ConversationUsers>(
      `SELECT coalesce(sum(conversations), 0)::bigint AS total_conversations,
              coalesce(sum(conversations_30d), 0)::bigint AS conversations_30d,
              coalesce(sum(conversations_7d), 0)::bigint AS conversations_7d,
              count(*) FILTER (WHERE conversations_30d > 0)::int AS active_users_30d,
              count(*) FILTER (WHERE conversations_7d > 0)::int AS active_users_7d,
              count(*) FILTER (WHERE conversations_30d > 1)::int AS engaged_users_30d
       FROM (SELECT user_id, count(*) AS conversations,
                    count(*) FILTER (WHERE created_at >= $1 AND created_at <= $3) AS conversations_30d,
                    count(*) FILTER (WHERE created_at >= $2 AND created_at <= $3) AS conversations_7d
             FROM (SELECT user_id, created_at
                   FROM conversation_metadata
                   WHERE ${SERIAL}
                   ORDER BY user_id
                   OFFSET 0) AS ordered
             GROUP BY user_id) AS per_user`,
      [since30d, since7d, now],
    );
    return (
      rows[0] ?? {
        total_conversations: 0,
        conversations_30d: 0,
        conversations_7d: 0,
        active_users_30d: 0,
        active_users_7d: 0,
        engaged_users_30d: 0,
      }
    );
  });
}

/** Sums over a set of conversations of the window; the `_7d` ones over its last 7 days. */
export type ConversationSums = {
  conversations_30d: number;
  conversations_7d: number;
  /** Conversations that used any tokens. */
  with_tokens_30d: number;
  prompt_tokens_30d: number;
  prompt_tokens_7d: number;
  completion_tokens_30d: number;
  completion_tokens_7d: number;
  total_tokens_30d: number;
  total_tokens_7d: number;
  cost_usd_30d: number;
  cost_usd_7d: number;
};

export type ConversationWindow = {
  total: ConversationSums;
  byModel: Array<{ name: string; conversations: number }>;
  byProvider: Array<{ name: string; conversations: number }>;
  byTrigger: Array<{ name: string; conversations: number }>;
};

type WindowRow = ConversationSums & {
  by_model: boolean;
  by_provider: boolean;
  by_trigger: boolean;
  llm_model: string | null;
  git_provider: string | null;
  trigger: string | null;
};

const SUMS = `
  coalesce(sum(conversations_30d), 0)::bigint AS conversations_30d,
  coalesce(sum(conversations_7d), 0)::bigint AS conversations_7d,
  coalesce(sum(with_tokens_30d), 0)::bigint AS with_tokens_30d,
  coalesce(sum(prompt_tokens_30d), 0)::bigint AS prompt_tokens_30d,
  coalesce(sum(prompt_tokens_7d), 0)::bigint AS prompt_tokens_7d,
  coalesce(sum(completion_tokens_30d), 0)::bigint AS completion_tokens_30d,
  coalesce(sum(completion_tokens_7d), 0)::bigint AS completion_tokens_7d,
  coalesce(sum(total_tokens_30d), 0)::bigint AS total_tokens_30d,
  coalesce(sum(total_tokens_7d), 0)::bigint AS total_tokens_7d,
  coalesce(sum(cost_usd_30d), 0)::float8 AS cost_usd_30d,
  coalesce(sum(cost_usd_7d), 0)::float8 AS cost_usd_7d`;

/**
 * Volume, tokens and cost of the window, in total and per model, git provider and trigger: one
 * pass that groups the conversations by all three at once, then rolls the few groups up per
 * dimension. Names stay as stored; NULL ones are left out of the dimensions but counted in the
 * total.
 */
export function conversationWindow(ctx: CollectorContext): Promise<ConversationWindow> {
  return sharedResult(ctx, 'conversation_window', async () => {
    const { now, since7d, since30d } = windowsAt(ctx.now);
    const { rows } = await ctx.db.query<WindowRow>(
      `WITH groups AS (
         SELECT llm_model, git_provider, trigger,
                count(*) AS conversations_30d,
                count(*) FILTER (WHERE created_at >= $2) AS conversations_7d,
                count(*) FILTER (WHERE total_tokens > 0) AS with_tokens_30d,
                sum(prompt_tokens) AS prompt_tokens_30d,
                sum(prompt_tokens) FILTER (WHERE created_at >= $2) AS prompt_tokens_7d,
                sum(completion_tokens) AS completion_tokens_30d,
                sum(completion_tokens) FILTER (WHERE created_at >= $2) AS completion_tokens_7d,
                sum(total_tokens) AS total_tokens_30d,
                sum(total_tokens) FILTER (WHERE created_at >= $2) AS total_tokens_7d,
                sum(accumulated_cost) AS cost_usd_30d,
                sum(accumulated_cost) FILTER (WHERE created_at >= $2) AS cost_usd_7d
         FROM conversation_metadata
         WHERE created_at >= $1 AND created_at <= $3 AND ${SERIAL}
         GROUP BY llm_model, git_provider, trigger)
       SELECT GROUPING(llm_model) = 0 AS by_model, GROUPING(git_provider) = 0 AS by_provider,
              GROUPING(trigger) = 0 AS by_trigger, llm_model, git_provider, trigger, ${SUMS}
       FROM groups
       GROUP BY GROUPING SETS ((llm_model), (git_provider), (trigger), ())`,
      [since30d, since7d, now],
    );
    const dimension = (isIt: (row: WindowRow) => boolean, name: (row: WindowRow) => string | null) =>
      rows.flatMap((row) => {
        const value = name(row);
        return isIt(row) && value !== null ? [{ name: value, conversations: row.conversations_30d }] : [];
      });
    const total = rows.find((row) => !row.by_model && !row.by_provider && !row.by_trigger);
    return {
      total: total ? pickSums(total) : pickSums({} as WindowRow),
      byModel: dimension(
        (row) => row.by_model,
        (row) => row.llm_model,
      ),
      byProvider: dimension(
        (row) => row.by_provider,
        (row) => row.git_provider,
      ),
      byTrigger: dimension(
        (row) => row.by_trigger,
        (row) => row.trigger,
      ),
    };
  });
}

function pickSums(row: Partial<ConversationSums>): ConversationSums {
  return {
    conversations_30d: row.conversations_30d ?? 0,
    conversations_7d: row.conversations_7d ?? 0,
    with_tokens_30d: row.with_tokens_30d ?? 0,
    prompt_tokens_30d: row.prompt_tokens_30d ?? 0,
    prompt_tokens_7d: row.prompt_tokens_7d ?? 0,
    completion_tokens_30d: row.completion_tokens_30d ?? 0,
    completion_tokens_7d: row.completion_tokens_7d ?? 0,
    total_tokens_30d: row.total_tokens_30d ?? 0,
    total_tokens_7d: row.total_tokens_7d ?? 0,
    cost_usd_30d: row.cost_usd_30d ?? 0,
    cost_usd_7d: row.cost_usd_7d ?? 0,
  };
}
