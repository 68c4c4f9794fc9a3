package dev.ems.order;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Fields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * An order request (create or replace) validated, with its line totals and total computed exactly: what the
 * repository writes. Money is decimal with 2 places, never a binary float; the client never sends a total.
 */
public record PricedOrder(
        UUID userId,
        List<OrderItem> items,
        BigDecimal totalAmount,
        String currency,
        String shippingAddress,
        String notes) {
    static final int MAX_ITEMS = 100;
    static final int MAX_QUANTITY = 10_000;
    static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("999999.99");
    static final int MAX_SKU_LENGTH = 64;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ADDRESS_LENGTH = 500;
    static final int MAX_NOTES_LENGTH = 2000;
    static final String DEFAULT_CURRENCY = "USD";

    /** Checks every field (all errors at once, 400 VALIDATION_ERROR) and computes line totals and the total. */
    static PricedOrder from(OrderRequest in) {
        List<FieldError> errors = new ArrayList<>();
        if (in.userId() == null) {
            errors.add(new FieldError("user_id", "is required"));
        }
        List<OrderItem> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        if (in.items() == null || in.items().isEmpty()) {
            errors.add(new FieldError("items", "must contain at least one item"));
        } else if (in.items().size() > MAX_ITEMS) {
            errors.add(new FieldError("items", "must contain at most " + MAX_ITEMS + " items"));
        } else {
            for (int i = 0; i < in.items().size(); i++) {
                OrderItem item = item(in.items().get(i), "items[" + i + "].", errors);
                if (item != null) {
                    items.add(item);
                    total = total.add(item.lineTotal());
                }
            }
        }
        String currency =
                in.currency() == null ? DEFAULT_CURRENCY : in.currency().strip().toUpperCase(Locale.ROOT);
        if (!isIsoCurrency(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 currency code such as USD or EUR"));
        }
        String address = Fields.optional(in.shippingAddress(), "shipping_address", MAX_ADDRESS_LENGTH, errors);
        String notes = Fields.optional(in.notes(), "notes", MAX_NOTES_LENGTH, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new PricedOrder(in.userId(), List.copyOf(items), total, currency, address, notes);
    }

    /** What {@code order} holds of these fields, to tell whether a replace changes anything. */
    static PricedOrder of(Order order) {
        return new PricedOrder(
                order.userId(),
                order.items(),
                order.totalAmount(),
                order.currency(),
                order.shippingAddress(),
                order.notes());
    }

    private static OrderItem item(OrderRequest.Item in, String prefix, List<FieldError> errors) {
        if (in == null) {
            errors.add(new FieldError(prefix.substring(0, prefix.length() - 1), "must be an object"));
            return null;
        }
        int before = errors.size();
        String sku = Fields.required(in.sku(), prefix + "sku", MAX_SKU_LENGTH, errors);
        String name = Fields.required(in.name(), prefix + "name", MAX_NAME_LENGTH, errors);
        if (in.quantity() == null) {
            errors.add(new FieldError(prefix + "quantity", "is required"));
        } else if (in.quantity() < 1 || in.quantity() > MAX_QUANTITY) {
            errors.add(new FieldError(prefix + "quantity", "must be between 1 and " + MAX_QUANTITY));
        }
        BigDecimal price = in.unitPrice();
        if (price == null) {
            errors.add(new FieldError(prefix + "unit_price", "is required"));
        } else if (price.signum() < 0 || price.compareTo(MAX_UNIT_PRICE) > 0) {
            errors.add(new FieldError(prefix + "unit_price", "must be between 0 and " + MAX_UNIT_PRICE));
        } else if (price.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(prefix + "unit_price", "must have at most 2 decimal places"));
        }
        if (errors.size() > before) {
            return null;
        }
        BigDecimal unitPrice = price.setScale(2);
        return new OrderItem(
                sku, name, in.quantity(), unitPrice, unitPrice.multiply(BigDecimal.valueOf(in.quantity())));
    }

    private static boolean isIsoCurrency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
