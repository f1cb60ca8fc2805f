-- Orders of the order service. An order is written with its items, the first entry of its
-- history and its OrderPlaced event (outbox) in one transaction, before the 202 is sent.
CREATE TABLE orders (
    id              UUID PRIMARY KEY,
    user_id         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('PENDING', 'PAID', 'CONFIRMED', 'REJECTED')),
    reason          TEXT,
    total_amount    BIGINT NOT NULL CHECK (total_amount >= 0),
    currency        CHAR(3) NOT NULL,
    payment_token   TEXT NOT NULL,
    -- Idempotency-Key of the POST that created it, per user, and a digest of that request's
    -- body: the same key with the same body answers this order again, with another body 422
    idempotency_key TEXT NOT NULL,
    request_digest  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, idempotency_key)
);

-- the caller's orders, newest first
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, id);

CREATE TABLE order_items (
    order_id    UUID NOT NULL REFERENCES orders (id),
    line        INTEGER NOT NULL,
    product_id  BIGINT NOT NULL,
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    unit_amount BIGINT NOT NULL CHECK (unit_amount >= 0),
    PRIMARY KEY (order_id, line)
);

-- every status an order has had, in order; a terminal status is always the last entry
CREATE TABLE order_history (
    order_id UUID NOT NULL REFERENCES orders (id),
    seq      INTEGER NOT NULL,
    status   TEXT NOT NULL,
    reason   TEXT,
    at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, seq)
);
