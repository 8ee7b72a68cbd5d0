-- The queries the running shop (web) sends: `rollwright rehearse` prepares each one against the
-- new schema, so a migration that breaks the running version is caught before it ships.
SELECT id, email, name, legacy_phone FROM users WHERE id = $1;

SELECT o.id, o.status, o.total_cents FROM orders o WHERE o.user_id = $1 ORDER BY o.created_at DESC;

INSERT INTO orders (user_id, total_cents) VALUES ($1, $2) RETURNING id;
