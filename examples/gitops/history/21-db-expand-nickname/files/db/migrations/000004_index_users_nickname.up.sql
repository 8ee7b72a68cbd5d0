-- Alone in its file: golang-migrate sends a file as one query, and CONCURRENTLY cannot run in a transaction.
CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);
