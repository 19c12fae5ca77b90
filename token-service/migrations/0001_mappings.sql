-- acs-token-service schema version 1: the same on SQLite and PostgreSQL.
-- Timestamps are RFC 3339 text (exact to the nanosecond on both).

-- Each app user's one ACS identity.
CREATE TABLE acs_mappings (
    app_user TEXT NOT NULL PRIMARY KEY,
    acs_user_id TEXT NOT NULL,
    tokens_revoked_at TEXT,
    revocations BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE INDEX acs_mappings_by_acs_user_id ON acs_mappings (acs_user_id);

-- ACS identities whose deletion is still to do (the durable to-do of DELETE /api/user
-- and of lost create races).
CREATE TABLE acs_pending_deletions (
    acs_user_id TEXT NOT NULL PRIMARY KEY,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_at TEXT NOT NULL
);
