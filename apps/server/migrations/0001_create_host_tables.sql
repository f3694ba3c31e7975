-- The host tables of the reference OpenHands Enterprise server, mirroring OpenHands' own, with
-- the indexes that the usage collectors' counts need.

-- accepted_tos is the time of acceptance (NULL: not accepted), as in OpenHands.
CREATE TABLE user_settings (
    id BIGSERIAL PRIMARY KEY,
    keycloak_user_id VARCHAR(255) NOT NULL UNIQUE,
    email VARCHAR(320) NULL,
    accepted_tos TIMESTAMPTZ NULL,
    user_consents_to_analytics BOOLEAN NULL,
    llm_model VARCHAR(255) NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_user_settings_email ON user_settings (lower(email));
-- The first user to accept the Terms (the admin email): ordered by acceptance, ties by id.
CREATE INDEX idx_user_settings_accepted_tos ON user_settings (accepted_tos, id) WHERE accepted_tos IS NOT NULL;
CREATE INDEX idx_user_settings_analytics_consent ON user_settings (id) WHERE user_consents_to_analytics;

CREATE TABLE conversation_metadata (
    conversation_id VARCHAR(64) PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL,
    title TEXT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    git_provider VARCHAR(32) NULL,
    trigger VARCHAR(32) NULL,
    llm_model VARCHAR(255) NULL,
    accumulated_cost DOUBLE PRECISION NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    total_tokens BIGINT NOT NULL DEFAULT 0
);
-- A user's own list, newest first.
CREATE INDEX idx_conversation_metadata_user_created ON conversation_metadata (user_id, created_at DESC);
-- Windowed counts (7 and 30 days) read this index only.
CREATE INDEX idx_conversation_metadata_created ON conversation_metadata (created_at) INCLUDE (user_id);

CREATE TABLE github_app_installations (
    id BIGSERIAL PRIMARY KEY,
    installation_id BIGINT NOT NULL UNIQUE,
    account_login VARCHAR(255) NOT NULL,
    account_type VARCHAR(32) NOT NULL DEFAULT 'Organization',
    installed_by_user_id VARCHAR(255) NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    removed_at TIMESTAMPTZ NULL
);
CREATE INDEX idx_github_app_installations_active ON github_app_installations (id) WHERE removed_at IS NULL;

CREATE TABLE slack_workspaces (
    id BIGSERIAL PRIMARY KEY,
    team_id VARCHAR(64) NOT NULL UNIQUE,
    team_name VARCHAR(255) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE slack_users (
    id BIGSERIAL PRIMARY KEY,
    keycloak_user_id VARCHAR(255) NOT NULL,
    slack_user_id VARCHAR(64) NOT NULL,
    slack_team_id VARCHAR(64) NOT NULL REFERENCES slack_workspaces (team_id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (slack_team_id, slack_user_id)
);

CREATE TABLE jira_workspaces (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    jira_cloud_id VARCHAR(255) NOT NULL UNIQUE,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE jira_users (
    id BIGSERIAL PRIMARY KEY,
    keycloak_user_id VARCHAR(255) NOT NULL,
    jira_user_id VARCHAR(255) NOT NULL,
    jira_workspace_id BIGINT NOT NULL REFERENCES jira_workspaces (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (jira_workspace_id, jira_user_id)
);

CREATE TABLE linear_workspaces (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    linear_org_id VARCHAR(255) NOT NULL UNIQUE,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE linear_users (
    id BIGSERIAL PRIMARY KEY,
    keycloak_user_id VARCHAR(255) NOT NULL,
    linear_user_id VARCHAR(255) NOT NULL,
    linear_workspace_id BIGINT NOT NULL REFERENCES linear_workspaces (id) ON DELETE CASCADE,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (linear_workspace_id, linear_user_id)
);

-- Host-wide key/value settings that must outlive a pod (the session-signing secret).
CREATE TABLE server_settings (
    key VARCHAR(64) PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
