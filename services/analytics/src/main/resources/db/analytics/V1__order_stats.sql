-- Aggregates of the analytics service, fed by the order outcomes (pub/sub: its own consumer
-- group, independent of inventory and notification).
CREATE TABLE order_stats (
    day       DATE PRIMARY KEY,
    confirmed BIGINT NOT NULL DEFAULT 0,
    rejected  BIGINT NOT NULL DEFAULT 0,
    units     BIGINT NOT NULL DEFAULT 0,
    revenue   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE product_sales (
    product_id BIGINT PRIMARY KEY,
    units      BIGINT NOT NULL
);
