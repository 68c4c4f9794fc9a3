-- POST /api/v1/orders (no Idempotency-Key), the transaction after the user lookup:
-- BEGIN; insert-order (RETURNING the row); insert-items; outbox-insert (the audit event, ~the service's payload); COMMIT
\set u random(1, :users)
BEGIN;
INSERT INTO orders (user_id, currency, total_amount, shipping_address, notes)
VALUES (CAST(md5('u' || :u) AS uuid), 'USD', 25.00, NULL, NULL)
RETURNING id, user_id, status, currency, total_amount, shipping_address, notes, version, created_at, updated_at \gset
INSERT INTO order_items (order_id, position, sku, name, quantity, unit_price, line_total)
SELECT CAST(:id AS uuid), i.position, i.sku, i.name, i.quantity, i.unit_price, i.line_total
FROM json_to_recordset(CAST('[{"position": 0, "sku": "BK-1", "name": "Book", "quantity": 2, "unit_price": 12.50, "line_total": 25.00}]' AS json))
  AS i(position integer, sku text, name text, quantity integer, unit_price numeric, line_total numeric);
INSERT INTO audit_outbox (event_id, payload)
VALUES (CAST(CAST(gen_random_uuid() AS text) AS uuid), CAST(concat(
  '{"event_id": "', CAST(gen_random_uuid() AS text), '", "occurred_at": "2025-06-01T12:00:00.123456Z", ',
  '"service": "order-service", "actor": "system", "action": "create", "entity_type": "order", "entity_id": "',
  CAST(:id AS text), '", "request_id": "0b5e4c1e-9a55-4a8e-8d8e-3f1f2a6b7c8d", "details": {"after": {"id": "',
  CAST(:id AS text), '", "user_id": "00000000-0000-4000-8000-000000000001", "status": "pending", "currency": "USD", ',
  '"total_amount": 25.00, "shipping_address": null, "notes": null, "items": [{"sku": "BK-1", "name": "Book", ',
  '"quantity": 2, "unit_price": 12.50, "line_total": 25.00}], "version": 1, ',
  '"created_at": "2025-06-01T12:00:00.123456Z", "updated_at": "2025-06-01T12:00:00.123456Z"}}, ',
  '"client_address": "127.0.0.1", "user_agent": "wrk"}') AS jsonb));
COMMIT;
