-- Rollups of the conversations that the usage collectors read instead of every conversation, so
-- that a collection costs about as much as one count(*) of the table, whatever its size (see
-- src/telemetry/collectors/README.md). Both are kept exact by statement-level triggers, which see
-- a whole INSERT, UPDATE or DELETE at once (a bulk load of millions of rows is one upsert).

-- Per UTC day and model, git provider and trigger: the sums the conversation metrics report.
CREATE TABLE conversation_daily_rollup (
    day DATE NOT NULL,
    llm_model VARCHAR(255) NULL,
    git_provider VARCHAR(32) NULL,
    trigger VARCHAR(32) NULL,
    conversations BIGINT NOT NULL,
    with_tokens BIGINT NOT NULL,
    prompt_tokens BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    cost_usd DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX idx_conversation_daily_rollup_key
    ON conversation_daily_rollup (day, llm_model, git_provider, trigger) NULLS NOT DISTINCT;

-- Per user: the creation times of the newest two conversations. A user was active in a window
-- when the newest is in it, and engaged (two or more) when the second newest is.
CREATE TABLE conversation_user_recency (
    user_id VARCHAR(255) PRIMARY KEY,
    last_at TIMESTAMPTZ NOT NULL,
    previous_at TIMESTAMPTZ NULL
);
CREATE INDEX idx_conversation_user_recency_last_at ON conversation_user_recency (last_at) INCLUDE (previous_at);

-- After an INSERT: the new rows' sums are added; each user's newest two are the newest two of
-- what was kept and what came.
CREATE FUNCTION conversation_rollup_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversation_daily_rollup AS r
    SELECT (created_at AT TIME ZONE 'UTC')::date, llm_model, git_provider, trigger, count(*),
           count(*) FILTER (WHERE total_tokens > 0), sum(prompt_tokens), sum(completion_tokens),
           sum(total_tokens), sum(accumulated_cost)
    FROM added GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, llm_model, git_provider, trigger) DO UPDATE SET
        conversations = r.conversations + EXCLUDED.conversations,
        with_tokens = r.with_tokens + EXCLUDED.with_tokens,
        prompt_tokens = r.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = r.completion_tokens + EXCLUDED.completion_tokens,
        total_tokens = r.total_tokens + EXCLUDED.total_tokens,
        cost_usd = r.cost_usd + EXCLUDED.cost_usd;
    INSERT INTO conversation_user_recency AS u (user_id, last_at, previous_at)
    SELECT user_id, max(at) FILTER (WHERE rank = 1), max(at) FILTER (WHERE rank = 2)
    FROM (SELECT user_id, at, row_number() OVER (PARTITION BY user_id ORDER BY at DESC) AS rank
          FROM (SELECT user_id, created_at AS at FROM added
                UNION ALL
                SELECT r.user_id, k.at
                FROM conversation_user_recency r
                CROSS JOIN LATERAL (VALUES (r.last_at), (r.previous_at)) AS k (at)
                WHERE r.user_id IN (SELECT user_id FROM added) AND k.at IS NOT NULL) AS candidates) AS ranked
    WHERE rank <= 2
    GROUP BY user_id
    ON CONFLICT (user_id) DO UPDATE SET last_at = EXCLUDED.last_at, previous_at = EXCLUDED.previous_at;
    RETURN NULL;
END
$$;

-- After an UPDATE: the old rows' sums are taken out and the new ones added. Only users whose
-- conversations changed owner or time are looked up again (token and cost updates, the common
-- UPDATE, change neither).
CREATE FUNCTION conversation_rollup_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversation_daily_rollup AS r
    SELECT day, llm_model, git_provider, trigger, sum(sign), sum(sign * with_tokens), sum(sign * prompt_tokens),
           sum(sign * completion_tokens), sum(sign * total_tokens), sum(sign * accumulated_cost)
    FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, llm_model, git_provider, trigger, -1 AS sign,
                 (total_tokens > 0)::int AS with_tokens, prompt_tokens, completion_tokens, total_tokens, accumulated_cost
          FROM removed
          UNION ALL
          SELECT (created_at AT TIME ZONE 'UTC')::date, llm_model, git_provider, trigger, 1,
                 (total_tokens > 0)::int, prompt_tokens, completion_tokens, total_tokens, accumulated_cost
          FROM added) AS changes
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, llm_model, git_provider, trigger) DO UPDATE SET
        conversations = r.conversations + EXCLUDED.conversations,
        with_tokens = r.with_tokens + EXCLUDED.with_tokens,
        prompt_tokens = r.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = r.completion_tokens + EXCLUDED.completion_tokens,
        total_tokens = r.total_tokens + EXCLUDED.total_tokens,
        cost_usd = r.cost_usd + EXCLUDED.cost_usd;
    DELETE FROM conversation_daily_rollup WHERE conversations = 0;
    PERFORM conversation_recency_refresh(array_agg(DISTINCT user_id))
    FROM (SELECT user_id FROM (SELECT conversation_id, user_id, created_at FROM removed
                               EXCEPT ALL SELECT conversation_id, user_id, created_at FROM added) AS moved_from
          UNION ALL
          SELECT user_id FROM (SELECT conversation_id, user_id, created_at FROM added
                               EXCEPT ALL SELECT conversation_id, user_id, created_at FROM removed) AS moved_to) AS touched;
    RETURN NULL;
END
$$;

-- After a DELETE: the rows' sums are taken out; their users' newest two are looked up again.
CREATE FUNCTION conversation_rollup_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO conversation_daily_rollup AS r
    SELECT (created_at AT TIME ZONE 'UTC')::date, llm_model, git_provider, trigger, -count(*),
           -count(*) FILTER (WHERE total_tokens > 0), -sum(prompt_tokens), -sum(completion_tokens),
           -sum(total_tokens), -sum(accumulated_cost)
    FROM removed GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, llm_model, git_provider, trigger) DO UPDATE SET
        conversations = r.conversations + EXCLUDED.conversations,
        with_tokens = r.with_tokens + EXCLUDED.with_tokens,
        prompt_tokens = r.prompt_tokens + EXCLUDED.prompt_tokens,
        completion_tokens = r.completion_tokens + EXCLUDED.completion_tokens,
        total_tokens = r.total_tokens + EXCLUDED.total_tokens,
        cost_usd = r.cost_usd + EXCLUDED.cost_usd;
    DELETE FROM conversation_daily_rollup WHERE conversations = 0;
    PERFORM conversation_recency_refresh(array_agg(DISTINCT user_id)) FROM removed;
    RETURN NULL;
END
$$;

-- The newest two conversations of these users, read again from the table (by its user index).
CREATE FUNCTION conversation_recency_refresh(users VARCHAR[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF users IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM conversation_user_recency WHERE user_id = ANY (users);
    INSERT INTO conversation_user_recency (user_id, last_at, previous_at)
    SELECT u.user_id, newest.at[1], newest.at[2]
    FROM unnest(users) AS u (user_id)
    CROSS JOIN LATERAL (SELECT array_agg(created_at ORDER BY created_at DESC) AS at
                        FROM (SELECT created_at FROM conversation_metadata c
                              WHERE c.user_id = u.user_id ORDER BY created_at DESC LIMIT 2) AS two) AS newest
    WHERE newest.at IS NOT NULL;
END
$$;

CREATE FUNCTION conversation_rollup_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE conversation_daily_rollup, conversation_user_recency;
    RETURN NULL;
END
$$;

CREATE TRIGGER conversation_rollup_insert AFTER INSERT ON conversation_metadata
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION conversation_rollup_on_insert();
CREATE TRIGGER conversation_rollup_update AFTER UPDATE ON conversation_metadata
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION conversation_rollup_on_update();
CREATE TRIGGER conversation_rollup_delete AFTER DELETE ON conversation_metadata
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION conversation_rollup_on_delete();
CREATE TRIGGER conversation_rollup_truncate AFTER TRUNCATE ON conversation_metadata
    FOR EACH STATEMENT EXECUTE FUNCTION conversation_rollup_on_truncate();

-- The conversations already there.
INSERT INTO conversation_daily_rollup
SELECT (created_at AT TIME ZONE 'UTC')::date, llm_model, git_provider, trigger, count(*),
       count(*) FILTER (WHERE total_tokens > 0), sum(prompt_tokens), sum(completion_tokens),
       sum(total_tokens), sum(accumulated_cost)
FROM conversation_metadata GROUP BY 1, 2, 3, 4;
INSERT INTO conversation_user_recency (user_id, last_at, previous_at)
SELECT user_id, max(created_at) FILTER (WHERE rank = 1), max(created_at) FILTER (WHERE rank = 2)
FROM (SELECT user_id, created_at, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rank
      FROM conversation_metadata) AS ranked
WHERE rank <= 2
GROUP BY user_id;
