-- the tests' stand-in for a service's own table: each event describes a row written in the same transaction
CREATE TABLE orders (
    id        TEXT PRIMARY KEY,
    placed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
