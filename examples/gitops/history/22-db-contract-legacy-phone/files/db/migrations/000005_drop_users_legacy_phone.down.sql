ALTER TABLE users ADD COLUMN legacy_phone text;
