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
    failed_at TIMESTAMP WITH TIME ZONE NULL
);

CREATE INDEX idx_telemetry_metrics_collected_at ON telemetry_metrics(collected_at);
CREATE INDEX idx_telemetry_metrics_uploaded_at ON telemetry_metrics(uploaded_at);

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
    CONSTRAINT single_identity_row CHECK (id = 1)
);

INSERT INTO telemetry_identity (id) VALUES (1);
