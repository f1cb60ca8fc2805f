-- Stock of the inventory service. "available" is what can still be reserved; "received" is
-- every unit ever put on hand, so that at any time
--   available = received - (units in RESERVED or COMMITTED reservations)
-- which the operations entry's /verify checks. Stock never goes below zero.
CREATE TABLE stock (
    product_id BIGINT PRIMARY KEY,
    received   BIGINT NOT NULL CHECK (received >= 0),
    available  INTEGER NOT NULL CHECK (available >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One line of an order held for it: RESERVED while the order is paid for, then COMMITTED
-- (the order is confirmed: the units are gone) or RELEASED (rejected: back to available).
CREATE TABLE reservations (
    order_id   UUID NOT NULL,
    product_id BIGINT NOT NULL REFERENCES stock (product_id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    state      TEXT NOT NULL CHECK (state IN ('RESERVED', 'COMMITTED', 'RELEASED')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, product_id)
);
