-- Expand: a nullable column; the running version neither selects nor writes it.
ALTER TABLE users ADD COLUMN nickname text;
