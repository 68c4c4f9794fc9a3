package dev.ems.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.db.Tx;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Fields;
import dev.ems.core.http.Json;
import dev.ems.core.http.Page;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Preconditions.IfMatch;
import dev.ems.core.http.WireEnums;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

/**
 * The rules of orders: validation, server-computed money (exact decimals, 2 places), the status machine, the user
 * check through user-service, optimistic concurrency, idempotent creation, and an audit event for every change in
 * the change's own transaction. Writes lock the order's row, so writers of one order queue up.
 */
public final class OrderService {
    static final int MAX_ITEMS = 100;
    static final int MAX_QUANTITY = 10_000;
    static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("999999.99");
    static final int MAX_SKU_LENGTH = 64;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_ADDRESS_LENGTH = 500;
    static final int MAX_NOTES_LENGTH = 2000;
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    static final String ENTITY = "order";

    private final DbClient db;
    private final OrderRepository repository;
    private final UserClient users;
    private final AuditTrail audit;
    private final Duration idempotencyTtl;

    public OrderService(DbClient db, OrderRepository repository, UserClient users, AuditTrail audit,
                        Duration idempotencyTtl) {
        this.db = db;
        this.repository = repository;
        this.users = users;
        this.audit = audit;
        this.idempotencyTtl = idempotencyTtl;
    }

    /**
     * Creates an order for an active user. With an Idempotency-Key, a retry of the same request returns the
     * original order (replayed) and creates nothing, also when the retries race each other; the same key with a
     * different request is 422 IDEMPOTENCY_KEY_REUSED.
     */
    public Created create(OrderRequest request, Optional<String> idempotencyKey) {
        PricedOrder order = validated(request);
        if (idempotencyKey.isEmpty()) {
            requireActiveUser(order.userId());
            return new Created(Tx.inTransaction(db, tx -> insert(tx, order)), false);
        }
        String key = checkedKey(idempotencyKey.get());
        String hash = sha256(Json.write(order));
        Optional<Created> earlier = replay(key, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        requireActiveUser(order.userId());
        try {
            return Tx.inTransaction(db, tx -> {
                if (!repository.claimKey(tx, key, hash, idempotencyTtl)) {
                    throw new KeyTaken();
                }
                Order created = insert(tx, order);
                repository.completeKey(tx, key, created.id(), Json.write(created));
                return new Created(created, false);
            });
        } catch (KeyTaken e) {
            // a concurrent request with this key committed first: answer as it did
            return replay(key, hash).orElseThrow(() -> new IllegalStateException("idempotency key vanished"));
        }
    }

    private Order insert(DbTransaction tx, PricedOrder order) {
        Order created = repository.find(tx, repository.insert(tx, order)).orElseThrow();
        audit.created(tx, ENTITY, created.id(), created);
        return created;
    }

    public Order get(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("order"));
    }

    public Page<Order> list(OrderQuery query, PageRequest page) {
        long total = repository.count(query);
        List<Order> orders = page.offset() >= total ? List.of() : repository.list(query, page);
        return new Page<>(orders, page, total);
    }

    /**
     * PUT: replaces the client's fields. Items, currency and user can change only while the order is pending;
     * afterwards only shipping_address and notes can. A new user_id is checked with user-service first (never
     * while holding the order's lock).
     */
    public Order update(UUID id, OrderRequest request, Optional<IfMatch> ifMatch) {
        PricedOrder order = validated(request);
        Order before = get(id);
        requireEditable(before, order); // a change that will be refused does not ask user-service
        if (!order.userId().equals(before.userId())) {
            requireActiveUser(order.userId());
        }
        return Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            requireEditable(current, order);
            if (order.equals(fields(current))) {
                return current;
            }
            repository.update(tx, id, order);
            Order updated = repository.find(tx, id).orElseThrow();
            audit.updated(tx, "update", ENTITY, id, current, updated);
            return updated;
        });
    }

    /** Moves the order along its lifecycle; anything the state machine does not allow is 409. */
    public Order changeStatus(UUID id, StatusChange change, Optional<IfMatch> ifMatch) {
        OrderStatus target = Optional.ofNullable(change.status())
                .flatMap(s -> WireEnums.fromWire(OrderStatus.class, s))
                .orElseThrow(() -> ApiException.validation(List.of(new FieldError(
                        "status", "must be one of " + String.join(", ", WireEnums.wireValues(OrderStatus.class).stream()
                                .sorted().toList())))));
        return Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            OrderStatus from = WireEnums.fromWire(OrderStatus.class, current.status()).orElseThrow();
            if (!from.canMoveTo(target)) {
                throw new ApiException(OrderErrorCode.INVALID_STATE_TRANSITION,
                                       "an order cannot go from " + current.status() + " to " + WireEnums.wire(target));
            }
            repository.updateStatus(tx, id, WireEnums.wire(target));
            Order updated = repository.find(tx, id).orElseThrow();
            audit.updated(tx, "status_change", ENTITY, id, current, updated);
            return updated;
        });
    }

    public void delete(UUID id, Optional<IfMatch> ifMatch) {
        Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            repository.delete(tx, id);
            audit.deleted(tx, ENTITY, id, current);
            return current;
        });
    }

    private static void requireEditable(Order current, PricedOrder order) {
        boolean pending = current.status().equals(WireEnums.wire(OrderStatus.PENDING));
        if (!pending && (!order.items().equals(current.items()) || !order.currency().equals(current.currency())
                || !order.userId().equals(current.userId()))) {
            throw new ApiException(CommonErrorCode.CONFLICT, "the order is " + current.status()
                    + ": items, currency and user_id can change only while it is pending");
        }
    }

    /** Locks the order for this transaction and checks If-Match against the version it holds. */
    private Order locked(DbTransaction tx, UUID id, Optional<IfMatch> ifMatch) {
        Order current = repository.lock(tx, id).orElseThrow(() -> ApiException.notFound("order"));
        ifMatch.ifPresent(m -> m.check(current.version()));
        return current;
    }

    private static PricedOrder fields(Order order) {
        return new PricedOrder(order.userId(), order.items(), order.totalAmount(), order.currency(), order.shippingAddress(),
                            order.notes());
    }

    public long purgeExpiredKeys() {
        return repository.purgeExpiredKeys();
    }

    private Optional<Created> replay(String key, String hash) {
        return repository.findKey(key).map(stored -> {
            if (!stored.requestHash().equals(hash)) {
                throw new ApiException(OrderErrorCode.IDEMPOTENCY_KEY_REUSED,
                                       "this Idempotency-Key was used with a different request");
            }
            return new Created(Json.read(stored.responseBody(), Order.class), true);
        });
    }

    private void requireActiveUser(UUID userId) {
        UserClient.UserSummary user = users.find(userId)
                .orElseThrow(() -> new ApiException(OrderErrorCode.USER_NOT_FOUND, "user " + userId + " does not exist",
                                                    List.of(new FieldError("user_id", "no such user")), java.util.Map.of()));
        if (!"active".equals(user.status())) {
            throw new ApiException(OrderErrorCode.USER_NOT_ACTIVE, "user " + userId + " is " + user.status(),
                                   List.of(new FieldError("user_id", "user is " + user.status())), java.util.Map.of());
        }
    }

    private static String checkedKey(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.invalidParameter("Idempotency-Key",
                                                "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /** Checks every field (all errors at once) and computes line totals and the total, exactly. */
    static PricedOrder validated(OrderRequest in) {
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
        String currency = in.currency() == null ? "USD" : in.currency().strip().toUpperCase(Locale.ROOT);
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
        return new OrderItem(sku, name, in.quantity(), unitPrice, unitPrice.multiply(BigDecimal.valueOf(in.quantity())));
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

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome of a create: the order, and whether it is the replay of an earlier identical request. */
    public record Created(Order order, boolean replayed) {
    }

    /** The Idempotency-Key was claimed by a concurrent request that committed first. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }
}
