package dev.ems.order;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.WireEnums;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API returns it. Amounts are exact decimals with 2 places. */
@JsonbPropertyOrder({
    "id",
    "userId",
    "status",
    "items",
    "totalAmount",
    "currency",
    "shippingAddress",
    "notes",
    "version",
    "createdAt",
    "updatedAt"
})
public record Order(
        UUID id,
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

    /**
     * Whether this order may take {@code change}: items, currency and user_id can change only while it is pending,
     * afterwards only shipping_address and notes (409 CONFLICT).
     */
    void requireChangeableTo(PricedOrder change) {
        boolean pending = status.equals(WireEnums.wire(OrderStatus.PENDING));
        if (!pending
                && (!change.items().equals(items)
                        || !change.currency().equals(currency)
                        || !change.userId().equals(userId))) {
            throw new ApiException(
                    CommonErrorCode.CONFLICT,
                    "the order is " + status + ": items, currency and user_id can change only while it is pending");
        }
    }
}
