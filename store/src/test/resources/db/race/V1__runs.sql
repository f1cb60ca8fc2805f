-- a migration that must run exactly once: a second run would add a second row.
-- The pause widens the window in which two unsynchronised migrations would overlap.
SELECT pg_sleep(0.3);
CREATE TABLE runs (ran_at TIMESTAMPTZ NOT NULL DEFAULT now());
INSERT INTO runs DEFAULT VALUES;
