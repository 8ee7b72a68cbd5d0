-- Shipping records when an order left the warehouse.
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
