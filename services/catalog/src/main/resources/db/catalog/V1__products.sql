-- Products of the catalog service. Ids are given by the seeding (deterministic), prices are
-- integer minor units with their currency.
CREATE TABLE products (
    id           BIGINT PRIMARY KEY,
    sku          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    category     TEXT NOT NULL,
    price_amount BIGINT NOT NULL CHECK (price_amount >= 0),
    currency     CHAR(3) NOT NULL,
    stock        INTEGER NOT NULL CHECK (stock >= 0)
);

-- listing one category page by page
CREATE INDEX products_category_id ON products (category, id);

-- Case-insensitive substring search (ILIKE '%words%') over name and description, with a
-- trigram index so it does not scan the table. pg_trgm lives once per database: it is
-- installed in public unless it exists already, and the index names its operator class
-- in whichever schema holds it (the service's connections only see their own schema).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
DO $$
DECLARE
    trgm_schema TEXT;
BEGIN
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX products_text_trgm ON products USING gin ((name || '' '' || description) %I.gin_trgm_ops)',
                   trgm_schema);
END
$$;
