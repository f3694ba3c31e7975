-- Server-side sessions, so that signing out (or an admin change) really ends them, and the
-- email_verified flag that decides who may be the admin.

-- Only a verified email (Keycloak's email_verified claim, or the development sign-in where it is
-- allowed) can be the admin email. Rows from before this migration are not trusted.
ALTER TABLE user_settings ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false;

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of the table opens no session.
CREATE TABLE user_sessions (
    token_hash CHAR(64) PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_settings (id) ON DELETE CASCADE,
    auth_method VARCHAR(16) NOT NULL CHECK (auth_method IN ('dev', 'keycloak')),
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    -- The absolute end; the idle end is last_seen_at plus the idle timeout.
    expires_at TIMESTAMPTZ NOT NULL,
    -- Keycloak's ID token, sent back as id_token_hint when the user signs out at the provider.
    id_token TEXT NULL
);
CREATE INDEX idx_user_sessions_user ON user_sessions (user_id);
CREATE INDEX idx_user_sessions_expires ON user_sessions (expires_at);
