CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  legacy_phone text,
  created_at timestamptz NOT NULL DEFAULT now()
);
