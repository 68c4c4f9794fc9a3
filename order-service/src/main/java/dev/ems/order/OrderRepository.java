package dev.ems.order;

import dev.ems.core.http.Json;
import dev.ems.core.http.PageRequest;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Orders, their items and idempotency keys in PostgreSQL, through the named statements of application.yaml only. */
public final class OrderRepository {
    private static final OrderItem[] NO_ITEMS = new OrderItem[0];
    private final DbClient db;

    public OrderRepository(DbClient db) {
        this.db = db;
    }

    /** Inserts the order and its items (call inside a transaction); returns it as stored. */
    public Order insert(DbExecute tx, PricedOrder order) {
        Order created = tx.createNamedGet("insert-order")
                .params(orderFields(order))
                .execute()
                .map(row -> map(row, order.items()))
                .orElseThrow();
        insertItems(tx, created.id(), order.items());
        return created;
    }

    /** The live order, locked until the end of {@code tx}: writers of one order queue up instead of racing. */
    public Optional<Order> lock(DbExecute tx, UUID id) {
        return tx.createNamedGet("lock-order").addParam("id", id).execute().map(OrderRepository::map);
    }

    /** Rewrites the fields and items of an order locked by {@link #lock}; returns it as stored. */
    public Order update(DbExecute tx, UUID id, PricedOrder order) {
        Map<String, Object> params = orderFields(order);
        params.put("id", id);
        Order updated = tx.createNamedGet("update-order")
                .params(params)
                .execute()
                .map(row -> map(row, order.items()))
                .orElseThrow();
        tx.createNamedDelete("delete-items").addParam("order_id", id).execute();
        insertItems(tx, id, order.items());
        return updated;
    }

    /** Sets the status of {@code current}, locked by {@link #lock}; returns it as stored. */
    public Order updateStatus(DbExecute tx, Order current, String status) {
        return tx.createNamedGet("update-status")
                .addParam("id", current.id())
                .addParam("status", status)
                .execute()
                .map(row -> map(row, current.items()))
                .orElseThrow();
    }

    /** Soft-deletes an order locked by {@link #lock}. */
    public void delete(DbExecute tx, UUID id) {
        // the caller holds the row's lock: no row back is a broken invariant, never an answer to the client
        if (tx.createNamedGet("delete-order").addParam("id", id).execute().isEmpty()) {
            throw new NoSuchElementException("delete-order returned no row for order " + id);
        }
    }

    public Optional<Order> find(UUID id) {
        return db.execute().createNamedGet("get-order").addParam(id).execute().map(OrderRepository::map);
    }

    public long count(OrderQuery query) {
        return db.execute()
                .createNamedGet("count-orders")
                .params(filters(query))
                .execute()
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
    }

    public List<Order> list(OrderQuery query, PageRequest page) {
        Map<String, Object> params = filters(query);
        params.put("limit", page.pageSize());
        params.put("offset", page.offset());
        return db.execute()
                .createNamedQuery("list-orders")
                .params(params)
                .execute()
                .map(OrderRepository::map)
                .toList();
    }

    /** The stored response of a live idempotency key. */
    public Optional<StoredKey> findKey(String owner, String key) {
        return db.execute()
                .createNamedGet("find-idempotency-key")
                .addParam("owner", owner)
                .addParam("key", key)
                .execute()
                .map(row -> new StoredKey(
                        row.column("request_hash").get(String.class),
                        row.column("response_body").get(String.class)));
    }

    /**
     * Claims the key inside the transaction that creates the order. A concurrent claim of the same key waits for
     * this transaction: if it commits, the other finds the key taken; if it rolls back, the other gets it.
     */
    public boolean claimKey(DbExecute tx, String owner, String key, String requestHash, Duration ttl) {
        tx.createNamedDelete("delete-expired-idempotency-key")
                .addParam("owner", owner)
                .addParam("key", key)
                .execute();
        return tx.createNamedGet("claim-idempotency-key")
                .addParam("owner", owner)
                .addParam("key", key)
                .addParam("request_hash", requestHash)
                .addParam("ttl_seconds", ttl.toSeconds())
                .execute()
                .isPresent();
    }

    public void completeKey(DbExecute tx, String owner, String key, UUID orderId, String responseBody) {
        tx.createNamedUpdate("complete-idempotency-key")
                .addParam("owner", owner)
                .addParam("key", key)
                .addParam("order_id", orderId)
                .addParam("response_body", responseBody)
                .execute();
    }

    public long purgeExpiredKeys() {
        return db.execute().namedDelete("purge-idempotency-keys");
    }

    private static void insertItems(DbExecute tx, UUID orderId, List<OrderItem> items) {
        List<ItemRow> rows = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            OrderItem item = items.get(i);
            rows.add(new ItemRow(i, item.sku(), item.name(), item.quantity(), item.unitPrice(), item.lineTotal()));
        }
        // one statement for all lines: the items travel as JSON text, decimals as exact JSON numbers
        tx.createNamedInsert("insert-items")
                .addParam("order_id", orderId)
                .addParam("items", Json.write(rows))
                .execute();
    }

    private static Map<String, Object> orderFields(PricedOrder order) {
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", order.userId());
        params.put("currency", order.currency());
        params.put("total_amount", order.totalAmount());
        params.put("shipping_address", order.shippingAddress());
        params.put("notes", order.notes());
        return params;
    }

    private static Map<String, Object> filters(OrderQuery query) {
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", query.userId().orElse(null));
        params.put("status", query.status().orElse(null));
        params.put("created_from", query.createdFrom().orElse(null));
        params.put("created_to", query.createdTo().orElse(null));
        return params;
    }

    /** An order read with its items (as JSON text, column {@code items}). */
    private static Order map(DbRow row) {
        String items = row.column("items").get(String.class);
        return map(row, List.of(items == null ? NO_ITEMS : Json.read(items, OrderItem[].class)));
    }

    /** An order from the columns a write returned, with the items it wrote or kept. */
    private static Order map(DbRow row, List<OrderItem> items) {
        return new Order(
                row.column("id").get(UUID.class),
                row.column("user_id").get(UUID.class),
                row.column("status").get(String.class),
                items,
                row.column("total_amount").get(BigDecimal.class),
                row.column("currency").get(String.class),
                row.column("shipping_address").get(String.class),
                row.column("notes").get(String.class),
                row.column("version").get(Long.class),
                row.column("created_at").get(Timestamp.class).toInstant(),
                row.column("updated_at").get(Timestamp.class).toInstant());
    }

    /** The stored answer of an idempotency key: the hash of the request and the order it created. */
    public record StoredKey(String requestHash, String responseBody) {}

    @JsonbPropertyOrder({"position", "sku", "name", "quantity", "unitPrice", "lineTotal"})
    public record ItemRow(
            int position, String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {}
}
