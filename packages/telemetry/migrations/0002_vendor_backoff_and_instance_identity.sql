-- DECISIONS §2 and §4: one stored back-off for the vendor connection (so a restart does not
-- reset it), the fingerprint an instance was registered with (so a customer answer's
-- instanceId is reused only by the installation that registered it), and the cluster the
-- installation id belongs to (so a copy of the database in another installation is noticed).

ALTER TABLE telemetry_identity
    -- No vendor request is made before this time, except an admin's "Upload now". NULL: none.
    ADD COLUMN backoff_until TIMESTAMP WITH TIME ZONE NULL,
    -- Transient failures since the last answer the vendor accepted: the back-off's exponent.
    ADD COLUMN backoff_failures INTEGER NOT NULL DEFAULT 0,
    -- The machine fingerprint instance_id was registered with by this installation.
    ADD COLUMN instance_fingerprint TEXT NULL,
    -- "<system_identifier>:<database oid>" of the PostgreSQL database the installation id was
    -- made in. Another value at run time means the database was copied or restored elsewhere.
    ADD COLUMN cluster_id TEXT NULL,
    -- Set on a copy: the instance of the installation it was copied from, and when it was noticed.
    ADD COLUMN copied_from_instance_id VARCHAR(255) NULL,
    ADD COLUMN copied_at TIMESTAMP WITH TIME ZONE NULL;

-- The database this migration runs in is the installation's own: record it, so that an
-- existing installation is not taken for a copy of itself. An instance registered before this
-- migration was registered with this installation's fingerprint (the only one it ever sent).
UPDATE telemetry_identity
SET cluster_id = (
        SELECT s.system_identifier::text || ':' || d.oid::text
        FROM pg_control_system() s, pg_database d
        WHERE d.datname = current_database()
    ),
    instance_fingerprint = CASE
        WHEN instance_id IS NULL THEN NULL
        -- machineFingerprint() of @openhands/replicated, in SQL.
        ELSE encode(sha256(convert_to('openhands-installation:' || installation_id::text, 'UTF8')), 'hex')
    END;
