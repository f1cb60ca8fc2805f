-- What the payment service learned from the provider, one row per order: the charge it made
-- (or the decline) under the idempotency key "order-<order id>".
CREATE TABLE payments (
    order_id   UUID PRIMARY KEY,
    charge_id  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('captured', 'declined')),
    amount     BIGINT NOT NULL CHECK (amount >= 0),
    currency   CHAR(3) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
