-- Looks complete, but CASCADE drops only the foreign key: orders.coupon_id stays behind.
DROP TABLE coupons CASCADE;
