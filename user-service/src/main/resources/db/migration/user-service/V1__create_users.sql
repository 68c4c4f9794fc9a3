-- Users, soft-deleted: a deleted row keeps its data (deleted_at set) but leaves every API view, and its email
-- becomes free again (the unique index covers live rows only).
CREATE TABLE users (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email      text        NOT NULL,
    first_name text        NOT NULL,
    last_name  text        NOT NULL,
    phone      text,
    role       text        NOT NULL DEFAULT 'user'   CHECK (role IN ('user', 'admin')),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
    version    bigint      NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),   -- now(): one reading per transaction, so a new row has created_at = updated_at
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

-- email is unique case-insensitively among live users; the race of parallel creates is decided here
CREATE UNIQUE INDEX users_email_live_uk ON users (lower(email)) WHERE deleted_at IS NULL;
-- the list order (stable: created_at, then id)
CREATE INDEX users_live_created_idx ON users (created_at, id) WHERE deleted_at IS NULL;
-- prefix search (q) over email and names
CREATE INDEX users_email_prefix_idx ON users (lower(email) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX users_first_name_prefix_idx ON users (lower(first_name) text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX users_last_name_prefix_idx ON users (lower(last_name) text_pattern_ops) WHERE deleted_at IS NULL;
