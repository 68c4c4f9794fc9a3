-- Orders with their items. Money is numeric (exact decimal) everywhere; totals are computed by the service and
-- kept consistent here by constraints.
CREATE TABLE orders (
    id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid          NOT NULL,
    status           text          NOT NULL DEFAULT 'pending'
                                   CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
    currency         text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    total_amount     numeric(16,2) NOT NULL CHECK (total_amount >= 0),
    shipping_address text,
    notes            text,
    version          bigint        NOT NULL DEFAULT 1,
    created_at       timestamptz   NOT NULL DEFAULT now(), -- now(): created_at = updated_at on a new row
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    deleted_at       timestamptz
);

CREATE INDEX orders_live_created_idx ON orders (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX orders_live_user_idx ON orders (user_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX orders_live_status_idx ON orders (status, created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE order_items (
    order_id   uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position   integer       NOT NULL CHECK (position >= 0),
    sku        text          NOT NULL,
    name       text          NOT NULL,
    quantity   integer       NOT NULL CHECK (quantity >= 1),
    unit_price numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    line_total numeric(16,2) NOT NULL CHECK (line_total = quantity * unit_price),
    PRIMARY KEY (order_id, position)
);

-- Idempotency-Key of POST /orders: the request's hash and the response it produced, until expires_at.
CREATE TABLE idempotency_keys (
    key           text        PRIMARY KEY,
    request_hash  text        NOT NULL,
    order_id      uuid        REFERENCES orders (id),
    response_body text,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
