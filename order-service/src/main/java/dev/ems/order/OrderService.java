package dev.ems.order;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.db.Tx;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.FieldError;
import dev.ems.core.http.Page;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Preconditions.IfMatch;
import dev.ems.core.http.RequestOrigin;
import dev.ems.core.http.WireEnums;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What happens to orders, step by step: a request becomes a {@link PricedOrder}, its user passes the
 * {@link ActiveUserCheck}, the caller may do what it asks ({@link OrderAccess}), creation may be
 * {@link Idempotency idempotent} (per caller), a change respects the lifecycle
 * ({@link OrderStatus}, {@link Order#requireChangeableTo}) and If-Match, and every change writes its audit event in
 * its own transaction. Writes lock the order's row, so writers of one order queue up.
 */
public final class OrderService {
    static final String ENTITY = "order";

    private final DbClient db;
    private final OrderRepository repository;
    private final ActiveUserCheck activeUser;
    private final OrderAccess access;
    private final Idempotency idempotency;
    private final AuditTrail audit;

    OrderService(
            DbClient db,
            OrderRepository repository,
            ActiveUserCheck activeUser,
            OrderAccess access,
            Idempotency idempotency,
            AuditTrail audit) {
        this.db = db;
        this.repository = repository;
        this.activeUser = activeUser;
        this.access = access;
        this.idempotency = idempotency;
        this.audit = audit;
    }

    /** Creates an order for an active user; with an Idempotency-Key, a retry answers the original order (replayed). */
    public Created create(OrderRequest request, Optional<String> idempotencyKey, RequestOrigin origin) {
        OrderAccess.requireCustomer(origin.caller());
        PricedOrder order = PricedOrder.from(request);
        String owner = origin.caller().subject();
        if (idempotencyKey.isEmpty()) {
            activeUser.require(order.userId(), origin);
            return new Created(Tx.inTransaction(db, tx -> insert(tx, origin, order)), false);
        }
        String key = Idempotency.checkedKey(idempotencyKey.get());
        String fingerprint = Idempotency.fingerprint(order);
        Optional<Order> earlier = idempotency.replay(owner, key, fingerprint);
        if (earlier.isPresent()) {
            return new Created(earlier.get(), true);
        }
        activeUser.require(order.userId(), origin);
        try {
            return Tx.inTransaction(db, tx -> {
                if (!idempotency.claim(tx, owner, key, fingerprint)) {
                    throw new KeyTaken();
                }
                Order created = insert(tx, origin, order);
                idempotency.complete(tx, owner, key, created);
                return new Created(created, false);
            });
        } catch (KeyTaken e) {
            // a concurrent request with this key committed first: answer as it did
            return new Created(
                    idempotency
                            .replay(owner, key, fingerprint)
                            .orElseThrow(() -> new IllegalStateException("idempotency key vanished")),
                    true);
        }
    }

    private Order insert(DbTransaction tx, RequestOrigin origin, PricedOrder order) {
        Order created = repository.insert(tx, order);
        audit.created(tx, origin, ENTITY, created.id(), created);
        return created;
    }

    public Order get(UUID id, RequestOrigin origin) {
        OrderAccess.requireCustomer(origin.caller());
        return access.requireVisible(find(id), origin);
    }

    /**
     * A page of orders. An admin's covers every order; a user's, the orders of its own user record, which it names
     * with {@code user_id} (another's user lists nothing).
     */
    public Page<Order> list(OrderQuery query, PageRequest page, RequestOrigin origin) {
        OrderAccess.requireCustomer(origin.caller());
        if (!OrderAccess.seesAll(origin.caller())) {
            UUID userId = query.userId()
                    .orElseThrow(() -> new ApiException(
                            CommonErrorCode.FORBIDDEN, "a user lists the orders of its own user: give user_id"));
            if (!access.ownsUser(userId, origin)) {
                return new Page<>(List.of(), page, 0);
            }
        }
        return Page.of(page, () -> repository.count(query), p -> repository.list(query, p));
    }

    private Order find(UUID id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("order"));
    }

    /**
     * PUT: replaces the client's fields, as far as the order's status allows. A new user_id is checked with
     * user-service first, never while holding the order's lock; a change that will be refused does not ask it.
     */
    public Order update(UUID id, OrderRequest request, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        OrderAccess.requireAdmin(origin.caller());
        PricedOrder order = PricedOrder.from(request);
        Order before = find(id);
        before.requireChangeableTo(order);
        if (!order.userId().equals(before.userId())) {
            activeUser.require(order.userId(), origin);
        }
        return Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            current.requireChangeableTo(order);
            if (order.equals(PricedOrder.of(current))) {
                return current;
            }
            Order updated = repository.update(tx, id, order);
            audit.updated(tx, origin, "update", ENTITY, id, current, updated);
            return updated;
        });
    }

    /**
     * Moves the order along its lifecycle; anything {@link OrderStatus} does not allow is 409. A user cancels its own
     * pending order and nothing else; whose the order is was asked of user-service before the lock is taken.
     */
    public Order changeStatus(UUID id, StatusChange change, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        Order visible = get(id, origin);
        OrderStatus target = Optional.ofNullable(change.status())
                .flatMap(s -> WireEnums.fromWire(OrderStatus.class, s))
                .orElseThrow(() -> ApiException.validation(List.of(new FieldError(
                        "status",
                        "must be one of "
                                + String.join(
                                        ", ",
                                        WireEnums.wireValues(OrderStatus.class).stream()
                                                .sorted()
                                                .toList())))));
        return Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            if (!current.userId().equals(visible.userId())) {
                throw ApiException.notFound("order"); // moved to another user meanwhile: ask again
            }
            OrderAccess.requireMayMove(origin.caller(), current, target);
            OrderStatus from =
                    WireEnums.fromWire(OrderStatus.class, current.status()).orElseThrow();
            if (!from.canMoveTo(target)) {
                throw new ApiException(
                        OrderErrorCode.INVALID_STATE_TRANSITION,
                        "an order cannot go from " + current.status() + " to " + WireEnums.wire(target));
            }
            Order updated = repository.updateStatus(tx, current, WireEnums.wire(target));
            audit.updated(tx, origin, "status_change", ENTITY, id, current, updated);
            return updated;
        });
    }

    public void delete(UUID id, Optional<IfMatch> ifMatch, RequestOrigin origin) {
        OrderAccess.requireAdmin(origin.caller());
        Tx.inTransaction(db, tx -> {
            Order current = locked(tx, id, ifMatch);
            repository.delete(tx, id);
            audit.deleted(tx, origin, ENTITY, id, current);
            return current;
        });
    }

    /** Forgets the Idempotency-Keys past their time to live (a background job). */
    public long purgeExpiredKeys() {
        return idempotency.purgeExpired();
    }

    /** Locks the order for this transaction and checks If-Match against the version it holds. */
    private Order locked(DbTransaction tx, UUID id, Optional<IfMatch> ifMatch) {
        Order current = repository.lock(tx, id).orElseThrow(() -> ApiException.notFound("order"));
        ifMatch.ifPresent(m -> m.check(current.version()));
        return current;
    }

    /** The outcome of a create: the order, and whether it is the replay of an earlier identical request. */
    public record Created(Order order, boolean replayed) {}

    /** The Idempotency-Key was claimed by a concurrent request that committed first. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }
}
