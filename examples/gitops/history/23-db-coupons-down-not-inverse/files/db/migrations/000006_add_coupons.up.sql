CREATE TABLE coupons (
  id bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  percent_off integer NOT NULL CHECK (percent_off BETWEEN 1 AND 100)
);

ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
