package dev.ems.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** An order request (create or replace) validated, with its line totals and total computed: what the repository writes. */
public record PricedOrder(UUID userId, List<OrderItem> items, BigDecimal totalAmount, String currency, String shippingAddress,
                String notes) {
}
