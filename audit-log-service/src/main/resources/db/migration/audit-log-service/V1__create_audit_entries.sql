-- The audit trail: append-only, one hash chain over all entries in `seq` order.
-- hash = HMAC-SHA256(key, prev_hash, seq, id, recorded_at, canonical content), computed by the service; a row changed
-- or removed behind the service's back no longer fits the chain, and GET /api/v1/audit-logs/verify says where.
CREATE TABLE audit_entries (
    seq            bigint      PRIMARY KEY,
    id             uuid        NOT NULL UNIQUE,
    event_id       uuid        NOT NULL UNIQUE,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL,
    service        text        NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    entity_type    text        NOT NULL,
    entity_id      text        NOT NULL,
    request_id     text,
    details        jsonb       NOT NULL,
    client_address text,
    user_agent     text,
    prev_hash      text        NOT NULL,
    hash           text        NOT NULL
);

-- newest first, and the same order within each filter, so keyset pages stay index scans however deep
CREATE INDEX audit_entries_occurred_idx ON audit_entries (occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_service_idx ON audit_entries (service, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_actor_idx ON audit_entries (actor, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_action_idx ON audit_entries (action, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_entity_idx ON audit_entries (entity_type, entity_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_request_idx ON audit_entries (request_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_entries_recorded_idx ON audit_entries (recorded_at, seq);

-- The end of the chain. Appends lock this row, so concurrent writers queue up instead of forking the chain.
CREATE TABLE audit_chain_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- What retention removed: the chain goes on from the last purged entry's hash, so verify still works.
CREATE TABLE audit_checkpoints (
    id            bigserial   PRIMARY KEY,
    through_seq   bigint      NOT NULL,
    last_hash     text        NOT NULL,
    purged_count  bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
