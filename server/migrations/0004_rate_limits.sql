-- Rate-limit counters shared by every instance of the server: one row per caller and limit.
CREATE TABLE rate_limit_counters (
  key       text PRIMARY KEY CHECK (char_length(key) BETWEEN 1 AND 300),
  hits      integer NOT NULL CHECK (hits >= 0),
  reset_at  timestamptz NOT NULL
);
CREATE INDEX rate_limit_counters_reset_idx ON rate_limit_counters (reset_at);
ALTER TABLE rate_limit_counters ENABLE ROW LEVEL SECURITY;
