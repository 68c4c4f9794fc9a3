package dev.ems.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** An order as the API returns it. Amounts are exact decimals with 2 places. */
@JsonbPropertyOrder({"id", "userId", "status", "items", "totalAmount", "currency", "shippingAddress", "notes", "version",
        "createdAt", "updatedAt"})
public record Order(UUID id,
                    UUID userId,
                    String status,
                    List<OrderItem> items,
                    BigDecimal totalAmount,
                    String currency,
                    @JsonbNillable String shippingAddress,
                    @JsonbNillable String notes,
                    long version,
                    Instant createdAt,
                    Instant updatedAt) {
}
