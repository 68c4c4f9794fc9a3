-- Keys rotate: each entry, the head's seal and each checkpoint's seal record the id of the integrity key that made them
-- (IntegrityKeys: derived from the key, so it names nothing else). NULL: made before ids were recorded; /verify then
-- tries every configured key.
ALTER TABLE audit_entries ADD COLUMN key_id text;
ALTER TABLE audit_chain_head ADD COLUMN key_id text;
ALTER TABLE audit_checkpoints ADD COLUMN key_id text;

