-- The telemetry engine's tables, as design §4.1 specifies them, plus the columns the engine needs
-- to be observable and to survive restarts (collector errors and durations, back-off state, the
-- cached vendor identity and the installation id behind the machine fingerprint).

CREATE TABLE telemetry_metrics (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    collected_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    metrics_data JSONB NOT NULL,
    uploaded_at TIMESTAMP WITH TIME ZONE NULL,
    upload_attempts INTEGER DEFAULT 0,
    last_upload_error TEXT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    -- [{ "collector": "...", "message": "..." }]: failures of this run, stored beside its metrics.
    collector_errors JSONB NOT NULL DEFAULT '[]'::jsonb,
    -- { "<collector>": <milliseconds> }
    collector_durations JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- Back-off: no upload is tried before this time. NULL means now.
    next_attempt_at TIMESTAMP WITH TIME ZONE NULL,
    -- Set when the vendor rejected the batch as invalid (400): it is never retried.
    failed_at TIMESTAMP WITH TIME ZONE NULL,
    -- A lease, taken with FOR UPDATE SKIP LOCKED, while one process sends the batch. A process
    -- that dies mid-send leaves a lease that simply expires; no lock is held across the request.
    claimed_by TEXT NULL,
    claimed_until TIMESTAMP WITH TIME ZONE NULL,
    -- Insertion order: sending order among batches collected at the same instant.
    seq BIGSERIAL NOT NULL
);

CREATE INDEX idx_telemetry_metrics_collected_at ON telemetry_metrics(collected_at);
CREATE INDEX idx_telemetry_metrics_uploaded_at ON telemetry_metrics(uploaded_at);
-- The pending batches, in sending order.
CREATE INDEX idx_telemetry_metrics_pending ON telemetry_metrics (collected_at, seq) WHERE uploaded_at IS NULL AND failed_at IS NULL;

CREATE TABLE telemetry_identity (
    id INTEGER PRIMARY KEY DEFAULT 1,
    customer_id VARCHAR(255) NULL,
    instance_id VARCHAR(255) NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    -- The admin email the customer was created for: a different email redoes the identity.
    admin_email VARCHAR(320) NULL,
    -- The vendor's token for this customer, sent raw in Authorization after the customer call.
    service_token TEXT NULL,
    -- The installation, not the pod: the machine fingerprint sent to the vendor derives from it.
    installation_id UUID NOT NULL DEFAULT gen_random_uuid(),
    -- The heartbeat: the vendor marks an instance inactive after 24 h without one.
    last_checkin_at TIMESTAMP WITH TIME ZONE NULL,
    last_checkin_error TEXT NULL,
    CONSTRAINT single_identity_row CHECK (id = 1)
);

INSERT INTO telemetry_identity (id) VALUES (1);

-- Who sends: the process holding the sender's advisory lock writes itself here at every check,
-- so that any replica can tell an admin which one leads and when it runs next.
CREATE TABLE telemetry_leader (
    id INTEGER PRIMARY KEY DEFAULT 1,
    holder TEXT NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    next_check_at TIMESTAMP WITH TIME ZONE NULL,
    CONSTRAINT single_leader_row CHECK (id = 1)
);

-- Every request to the vendor and how it went: the admin page's history and error list.
CREATE TABLE telemetry_upload_attempts (
    id BIGSERIAL PRIMARY KEY,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('identity', 'metrics', 'checkin')),
    batch_id UUID NULL REFERENCES telemetry_metrics (id) ON DELETE SET NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'rejected')),
    error TEXT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_telemetry_upload_attempts_attempted_at ON telemetry_upload_attempts (attempted_at);
