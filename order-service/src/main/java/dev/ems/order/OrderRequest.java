package dev.ems.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The body of create (POST) and update (PUT). Status, totals, ids and timestamps are the server's: a client that
 * sends them gets a validation error, so a client-side total can never be taken for the real one.
 */
public record OrderRequest(UUID userId, List<Item> items, String currency, String shippingAddress, String notes) {

    /** One requested line: the server adds {@code line_total}. */
    public record Item(String sku, String name, Integer quantity, BigDecimal unitPrice) {}
}
