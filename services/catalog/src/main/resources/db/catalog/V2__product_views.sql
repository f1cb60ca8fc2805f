-- How often each product page was viewed: written behind, in batches, by every instance's
-- view counter (one row per product, incremented by the sums counted since the last flush).
CREATE TABLE product_views (
    product_id BIGINT PRIMARY KEY REFERENCES products (id),
    views      BIGINT NOT NULL CHECK (views >= 0)
);
