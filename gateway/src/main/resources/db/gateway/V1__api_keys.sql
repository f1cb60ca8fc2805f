-- API keys of machine clients. A key's secret is never stored: only the SHA-256 hash of the
-- whole presented key, whose 256 random bits need no slow password hash. A key keeps the
-- limits of the plan it was issued with, so changing a default plan never changes live keys.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    client        TEXT NOT NULL,
    plan          TEXT NOT NULL,
    per_second    BIGINT NOT NULL,
    burst         BIGINT NOT NULL,
    daily_quota   BIGINT NOT NULL,
    secret_sha256 TEXT NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    created_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ
);

-- the lookup of a presented key, and no two keys with the same secret
CREATE UNIQUE INDEX api_keys_secret_sha256_key ON api_keys (secret_sha256);
