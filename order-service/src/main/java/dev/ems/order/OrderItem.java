package dev.ems.order;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.math.BigDecimal;

/** One line of an order; {@code lineTotal} is {@code quantity * unitPrice}, computed by the server. */
@JsonbPropertyOrder({"sku", "name", "quantity", "unitPrice", "lineTotal"})
public record OrderItem(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {}
