-- One sender by construction (issue 10). Admin actions pressed on any replica become rows here,
-- announced with NOTIFY; only the sender (the advisory-lock holder) executes them and writes the
-- result back, which the waiting HTTP handler reads. Times are the database's own clock: a
-- command's expiry is an operational timeout, not a point of the telemetry schedule.

CREATE TABLE telemetry_commands (
    id BIGSERIAL PRIMARY KEY,
    -- collect: "Collect now"; upload: "Upload now"; terms_accepted: the host's nudge.
    kind TEXT NOT NULL CHECK (kind IN ('collect', 'upload', 'terms_accepted')),
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
    -- No sender took it by then: the requester answers 503 and the command is never run.
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'expired')),
    -- The sender that took it; a new sender gives back what a dead one had taken.
    taken_by TEXT NULL,
    result JSONB NULL,
    error TEXT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NULL
);
CREATE INDEX idx_telemetry_commands_open ON telemetry_commands (id) WHERE state IN ('pending', 'running');
