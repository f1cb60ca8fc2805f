-- the same table name as in schema alpha, with other columns: each schema has its own
CREATE TABLE notes (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title TEXT NOT NULL
);
