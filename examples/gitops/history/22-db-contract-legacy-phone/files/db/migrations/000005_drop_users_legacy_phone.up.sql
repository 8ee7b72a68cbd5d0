-- Contract: the phone numbers moved to the CRM.
ALTER TABLE users DROP COLUMN legacy_phone;
