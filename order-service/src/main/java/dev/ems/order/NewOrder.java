package dev.ems.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** A validated order request with its lines and total computed: what the repository writes. */
public record NewOrder(UUID userId, List<OrderItem> items, BigDecimal totalAmount, String currency, String shippingAddress,
                String notes) {
}
