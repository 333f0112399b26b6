-- Users, sessions, OTP codes, lockouts, rate limits and the audit trail
-- (storage/authrepositories.h). Keep in step with postgres/0003_auth.sql.
-- Secrets are never stored: refresh tokens as SHA-256 hex, OTP codes as an HMAC.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,  -- lower-cased; NULL when none
    phone TEXT,  -- E.164; NULL when none
    search_text TEXT NOT NULL, -- folded name, e-mail and phone
    role TEXT NOT NULL CHECK (role IN ('super_admin', 'admin', 'org_admin', 'engineer', 'customer')),
    organization_id TEXT REFERENCES organizations (id), -- NULL for the platform roles
    active INTEGER NOT NULL DEFAULT 1,
    verified INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT, -- bcrypt "$2b$..."; NULL: no password (OTP only)
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_login_at BIGINT,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_phone ON users (phone) WHERE phone IS NOT NULL;
CREATE INDEX users_name ON users (name, id);
CREATE INDEX users_organization ON users (organization_id, name, id);
CREATE INDEX users_role ON users (role, name, id);

-- A signed-in device; its refresh tokens form one family.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_name TEXT NOT NULL DEFAULT '',
    ip_address TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id, last_used_at);

-- used_at is set once, by the rotation that replaces the token: a token presented
-- again after that is a reuse.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY, -- SHA-256 hex of the token
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE otp_codes (
    id TEXT PRIMARY KEY,
    identifier_key TEXT NOT NULL, -- HMAC of the normalized identifier (hex)
    purpose TEXT NOT NULL,
    channel TEXT NOT NULL,
    code_mac BLOB NOT NULL,       -- HMAC-SHA256 of purpose, identifier and code
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
);
-- Send limits (count since, last sent) and the housekeeping purge.
CREATE INDEX otp_codes_identifier ON otp_codes (identifier_key, created_at);
CREATE INDEX otp_codes_created ON otp_codes (created_at);
-- The codes that can still be used: few rows per identifier.
CREATE INDEX otp_codes_usable ON otp_codes (identifier_key, purpose, created_at)
    WHERE consumed_at IS NULL;

-- Consecutive authentication failures per subject ("user:<id>" or "id:<hmac>"); a row
-- exists only while there are failures.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL,
    locked_until BIGINT,
    admin_unlock_required INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Fixed-window counters shared by every server instance on this database.
CREATE TABLE rate_limits (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- The audit trail: append-only, hash-chained in sequence order (each entry's hash
-- covers the previous entry's hash). No foreign keys: the trail outlives what it names.
-- before_json / after_json: compact JSON objects, '' when there is none.
CREATE TABLE audit_log (
    sequence INTEGER PRIMARY KEY, -- 1, 2, 3, ... assigned under the chain lock
    id TEXT NOT NULL UNIQUE,
    at BIGINT NOT NULL,
    actor_id TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL DEFAULT '',
    organization_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json TEXT NOT NULL DEFAULT '',
    ip_address TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, sequence);
CREATE INDEX audit_log_organization ON audit_log (organization_id, sequence);
CREATE INDEX audit_log_action ON audit_log (action, sequence);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, sequence);

-- Entries are never changed or removed (21 CFR 11.10(e)): the database refuses it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;

-- Tenancy scopes (Scope in repositories.h): the tickets an engineer has (had) an
-- assignment on, and the engineers actively assigned to a hospital's tickets.
CREATE INDEX assignments_engineer_ticket ON assignments (engineer_id, ticket_id);
CREATE INDEX tickets_organization_engineer ON tickets (organization_id, assigned_engineer_id)
    WHERE assigned_engineer_id IS NOT NULL;
