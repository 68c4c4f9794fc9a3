-- GET /api/v1/orders/{id}: get-order
\set i random(1, :orders)
SELECT o.id, o.user_id, o.status, o.currency, o.total_amount, o.shipping_address, o.notes, o.version,
       o.created_at, o.updated_at,
       (SELECT CAST(json_agg(json_build_object('sku', i.sku, 'name', i.name, 'quantity', i.quantity,
                                               'unit_price', i.unit_price, 'line_total', i.line_total)
                             ORDER BY i.position) AS text)
        FROM order_items i WHERE i.order_id = o.id) AS items
FROM orders o
WHERE o.id = CAST(md5('o' || :i) AS uuid) AND o.deleted_at IS NULL;
