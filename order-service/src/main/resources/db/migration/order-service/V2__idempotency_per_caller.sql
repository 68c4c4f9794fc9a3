-- An Idempotency-Key belongs to the caller that sent it (its token's sub): two callers may use the same key, and
-- neither can replay or block the other's. Keys stored before callers were known belong to nobody ('').
ALTER TABLE idempotency_keys ADD COLUMN owner text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ALTER COLUMN owner DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (owner, key);
