import { type CollectorContext, sharedResult } from '@openhands/telemetry';
import { windowsAt } from './windows.js';

/**
 * The queries that several collectors read. Each runs once per collection whichever collectors
 * ask (see `sharedResult`). They read the conversations' rollups (migration 0003: daily sums per
 * model, provider and trigger; each user's newest two conversations), and the conversations
 * themselves only at the edges of the windows, the part of a day the daily sums cannot split;
 * so a collection costs about one count(*) of the conversations, whatever their number (see
 * ../README.md). Every window uses the collection's clock, never SQL `now()`.
 */

/**
 * Keeps a statement's plan serial. current_schema() is marked parallel unsafe, so its presence
 * anywhere in a statement rules out parallel workers (it is evaluated once, as a one-time
 * filter). Telemetry runs in the background beside the product's own queries: parallel workers
 * stay free for the product.
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
 * Every conversation count and every per-user figure. A user was active in a window when their
 * newest conversation is in it, engaged when their second newest is: exact for every user whose
 * conversations are all up to `now`. The few users with a conversation dated after `now` (a
 * clock ahead, an import) are counted from their conversations instead, so that the figures are
 * those of the conversations up to `now`, as the windows say.
 */
export function conversationUsers(ctx: CollectorContext): Promise<ConversationUsers> {
  return sharedResult(ctx, 'conversation_users', async () => {
    const { now, since7d, since30d } = windowsAt(ctx.now);
    const [{ rows }, window] = await Promise.all([
      ctx.db.query<Omit<ConversationUsers, 'conversations_30d' | 'conversations_7d'>>(
        `WITH ahead AS (SELECT DISTINCT user_id FROM conversation_metadata WHERE created_at > $3 AND ${SERIAL}),
              everyone AS (
                SELECT count(*) AS active_30d, count(*) FILTER (WHERE last_at >= $2) AS active_7d,
                       count(*) FILTER (WHERE previous_at >= $1) AS engaged_30d
                FROM conversation_user_recency
                WHERE last_at >= $1),
              ahead_by_recency AS (
                SELECT count(*) AS active_30d, count(*) FILTER (WHERE last_at >= $2) AS active_7d,
                       count(*) FILTER (WHERE previous_at >= $1) AS engaged_30d
                FROM conversation_user_recency r JOIN ahead a ON a.user_id = r.user_id
                WHERE last_at >= $1),
              ahead_exactly AS (
                SELECT count(*) FILTER (WHERE in_30d > 0) AS active_30d, count(*) FILTER (WHERE in_7d > 0) AS active_7d,
                       count(*) FILTER (WHERE in_30d > 1) AS engaged_30d
                FROM (SELECT count(*) FILTER (WHERE c.created_at >= $1 AND c.created_at <= $3) AS in_30d,
                             count(*) FILTER (WHERE c.created_at >= $2 AND c.created_at <= $3) AS in_7d
                      FROM ahead a JOIN conversation_metadata c ON c.user_id = a.user_id
                      GROUP BY a.user_id) AS per_user)
         SELECT (SELECT coalesce(sum(conversations), 0) FROM conversation_daily_rollup)::bigint AS total_conversations,
                (e.active_30d - r.active_30d + x.active_30d)::int AS active_users_30d,
                (e.active_7d - r.active_7d + x.active_7d)::int AS active_users_7d,
                (e.engaged_30d - r.engaged_30d + x.engaged_30d)::int AS engaged_users_30d
         FROM everyone e, ahead_by_recency r, ahead_exactly x`,
        [since30d, since7d, now],
      ),
      conversationWindow(ctx),
    ]);
    const row = rows[0] ?? { total_conversations: 0, active_users_30d: 0, active_users_7d: 0, engaged_users_30d: 0 };
    return {
      ...row,
      conversations_30d: window.total.conversations_30d,
      conversations_7d: window.total.conversations_7d,
    };
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
 * Volume, tokens and cost of the window, in total and per model, git provider and trigger. The
 * whole UTC days of each window come from the daily rollup; the rest (the part of a day at each
 * end) from the conversations, by their creation-time index. The parts are grouped by all three
 * dimensions at once, then rolled up per dimension. Names stay as stored; NULL ones are left out
 * of the dimensions but counted in the total.
 */
export function conversationWindow(ctx: CollectorContext): Promise<ConversationWindow> {
  return sharedResult(ctx, 'conversation_window', async () => {
    const { now, since7d, since30d } = windowsAt(ctx.now);
    // Whole days: from the first midnight at or after the window's start to the last before now.
    const days30 = startOfDayAtOrAfter(since30d);
    const days7 = startOfDayAtOrAfter(since7d);
    const daysEnd = startOfDay(now);
    const { rows } = await ctx.db.query<WindowRow>(
      `WITH parts AS (
         SELECT llm_model, git_provider, trigger, sum(conversations) AS c30,
                sum(conversations) FILTER (WHERE day >= $5::date) AS c7, sum(with_tokens) AS with_tokens_30d,
                sum(prompt_tokens) AS p30, sum(prompt_tokens) FILTER (WHERE day >= $5::date) AS p7,
                sum(completion_tokens) AS o30, sum(completion_tokens) FILTER (WHERE day >= $5::date) AS o7,
                sum(total_tokens) AS t30, sum(total_tokens) FILTER (WHERE day >= $5::date) AS t7,
                sum(cost_usd) AS u30, sum(cost_usd) FILTER (WHERE day >= $5::date) AS u7
         FROM conversation_daily_rollup
         WHERE day >= $4::date AND day < $6::date AND ${SERIAL}
         GROUP BY llm_model, git_provider, trigger
         UNION ALL
         SELECT llm_model, git_provider, trigger, count(*) FILTER (WHERE in30), count(*) FILTER (WHERE in7),
                count(*) FILTER (WHERE in30 AND total_tokens > 0),
                sum(prompt_tokens) FILTER (WHERE in30), sum(prompt_tokens) FILTER (WHERE in7),
                sum(completion_tokens) FILTER (WHERE in30), sum(completion_tokens) FILTER (WHERE in7),
                sum(total_tokens) FILTER (WHERE in30), sum(total_tokens) FILTER (WHERE in7),
                sum(accumulated_cost) FILTER (WHERE in30), sum(accumulated_cost) FILTER (WHERE in7)
         FROM (SELECT llm_model, git_provider, trigger, total_tokens, prompt_tokens, completion_tokens, accumulated_cost,
                      created_at >= $1 AND created_at <= $3 AND NOT (created_at >= $7 AND created_at < $9) AS in30,
                      created_at >= $2 AND created_at <= $3 AND NOT (created_at >= $8 AND created_at < $9) AS in7
               FROM conversation_metadata
               WHERE ((created_at >= $1 AND created_at < $7) OR (created_at >= $2 AND created_at < $8)
                      OR (created_at >= $9 AND created_at <= $3))
                 AND ${SERIAL}) AS edges
         GROUP BY llm_model, git_provider, trigger),
       groups AS (
         SELECT llm_model, git_provider, trigger,
                sum(c30) AS conversations_30d, sum(c7) AS conversations_7d, sum(with_tokens_30d) AS with_tokens_30d,
                sum(p30) AS prompt_tokens_30d, sum(p7) AS prompt_tokens_7d,
                sum(o30) AS completion_tokens_30d, sum(o7) AS completion_tokens_7d,
                sum(t30) AS total_tokens_30d, sum(t7) AS total_tokens_7d,
                sum(u30) AS cost_usd_30d, sum(u7) AS cost_usd_7d
         FROM parts
         GROUP BY llm_model, git_provider, trigger
         HAVING coalesce(sum(c30), 0) > 0)
       SELECT GROUPING(llm_model) = 0 AS by_model, GROUPING(git_provider) = 0 AS by_provider,
              GROUPING(trigger) = 0 AS by_trigger, llm_model, git_provider, trigger, ${SUMS}
       FROM groups
       GROUP BY GROUPING SETS ((llm_model), (git_provider), (trigger), ())`,
      // The whole days twice: as dates for the rollup, as instants (UTC midnights) for the
      // conversations, whatever the session's time zone.
      [since30d, since7d, now, isoDay(days30), isoDay(days7), isoDay(daysEnd), days30, days7, daysEnd],
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

const DAY_MS = 86_400_000;

function startOfDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

function startOfDayAtOrAfter(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);
}

/** A UTC day as PostgreSQL reads a date (`2026-11-23`), for the rollup's `day`. */
function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}
