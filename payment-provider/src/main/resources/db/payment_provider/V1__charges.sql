-- The payment provider's ledger: every charge it ever made, approved or declined. A charge
-- is recorded before it is answered, and an idempotency key names at most one charge, so a
-- client that retries with the same key can never be charged twice.
CREATE TABLE charges (
    id              TEXT PRIMARY KEY,
    -- the order of recording, for listing the ledger oldest first (created_at comes from
    -- the provider's clock, which tests may hold still)
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('approved', 'declined')),
    amount          BIGINT NOT NULL CHECK (amount > 0 AND amount <= 10000000000),
    currency        CHAR(3) NOT NULL,
    token           TEXT NOT NULL,
    reference       TEXT NOT NULL CHECK (char_length(reference) BETWEEN 1 AND 100),
    decline_code    TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK ((status = 'declined') = (decline_code IS NOT NULL))
);

-- the charges of one order, for the operator's look for double charges
CREATE INDEX charges_reference_seq ON charges (reference, seq);
