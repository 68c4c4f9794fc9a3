-- The transactional outbox of audit events: written in the same transaction as the change it describes,
-- delivered to audit-log-service by the relay, deleted once delivered. A row the audit service refuses for good
-- (a 4xx for that event alone) is kept as dead, with the reason, for an operator to look at.
CREATE TABLE audit_outbox (
    id         bigserial   PRIMARY KEY,
    event_id   uuid        NOT NULL UNIQUE,
    payload    jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts   integer     NOT NULL DEFAULT 0,
    last_error text,
    dead       boolean     NOT NULL DEFAULT false
);
CREATE INDEX audit_outbox_pending_idx ON audit_outbox (id) WHERE NOT dead;
