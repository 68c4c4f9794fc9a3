-- The token subject (sub) that owns a user record: a caller with the role `user` reaches only the record whose
-- subject is its own. Set by an admin; unique among live users (null allowed, for records nobody signs in as).
ALTER TABLE users ADD COLUMN subject text CHECK (char_length(subject) BETWEEN 1 AND 255);
CREATE UNIQUE INDEX users_subject_live_uk ON users (subject) WHERE deleted_at IS NULL AND subject IS NOT NULL;
