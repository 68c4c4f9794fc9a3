package dev.ems.order;

import dev.ems.core.http.ApiResponse;
import dev.ems.core.http.Json;
import dev.ems.core.http.JsonBody;
import dev.ems.core.http.MethodNotAllowed;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Preconditions;
import dev.ems.core.http.QueryParams;
import dev.ems.core.http.RequestOrigin;
import dev.ems.core.http.WireEnums;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/orders} and {@code /api/v1/users/{id}/orders}: parse, call {@link OrderService}, answer. */
public final class OrderRoutes implements HttpService {
    public static final String PATH = "/api/v1";
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final Set<String> USER_LIST_PARAMETERS =
            Set.of("page", "page_size", "status", "created_from", "created_to");
    private static final Set<String> LIST_PARAMETERS =
            Set.of("page", "page_size", "status", "created_from", "created_to", "user_id");

    private final OrderService orders;

    public OrderRoutes(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/orders", this::list)
                .post("/orders", this::create)
                .any("/orders", MethodNotAllowed.allow("GET", "POST"))
                .get("/orders/{id}", this::get)
                .put("/orders/{id}", this::update)
                .delete("/orders/{id}", this::delete)
                .any("/orders/{id}", MethodNotAllowed.allow("GET", "PUT", "DELETE"))
                .patch("/orders/{id}/status", this::changeStatus)
                .any("/orders/{id}/status", MethodNotAllowed.allow("PATCH"))
                .get("/users/{id}/orders", this::listForUser)
                .any("/users/{id}/orders", MethodNotAllowed.allow("GET"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        QueryParams.allowOnly(query, LIST_PARAMETERS);
        Optional<UUID> userId = QueryParams.text(query, "user_id", 36).map(v -> QueryParams.uuid("user_id", v));
        sendPage(req, res, query, userId);
    }

    private void listForUser(ServerRequest req, ServerResponse res) {
        QueryParams.allowOnly(req.query(), USER_LIST_PARAMETERS);
        sendPage(req, res, req.query(), Optional.of(id(req)));
    }

    private void sendPage(ServerRequest req, ServerResponse res, Parameters query, Optional<UUID> userId) {
        OrderQuery filter = new OrderQuery(
                userId,
                QueryParams.oneOf(query, "status", WireEnums.wireValues(OrderStatus.class)),
                QueryParams.timestamp(query, "created_from"),
                QueryParams.timestamp(query, "created_to"));
        Json.send(
                res,
                Status.OK_200,
                ApiResponse.of(orders.list(filter, PageRequest.from(query), RequestOrigin.of(req))));
    }

    private void create(ServerRequest req, ServerResponse res) {
        OrderRequest body = JsonBody.read(req, OrderRequest.class);
        OrderService.Created created = orders.create(body, req.headers().first(IDEMPOTENCY_KEY), RequestOrigin.of(req));
        if (created.replayed()) {
            res.header(IDEMPOTENT_REPLAYED, "true");
        }
        res.header(HeaderNames.LOCATION, PATH + "/orders/" + created.order().id());
        sendOrder(res, Status.CREATED_201, created.order());
    }

    private void get(ServerRequest req, ServerResponse res) {
        sendOrder(res, Status.OK_200, orders.get(id(req), RequestOrigin.of(req)));
    }

    private void update(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        OrderRequest body = JsonBody.read(req, OrderRequest.class);
        sendOrder(res, Status.OK_200, orders.update(id, body, Preconditions.ifMatch(req), RequestOrigin.of(req)));
    }

    private void changeStatus(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        StatusChange body = JsonBody.read(req, StatusChange.class);
        sendOrder(res, Status.OK_200, orders.changeStatus(id, body, Preconditions.ifMatch(req), RequestOrigin.of(req)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        orders.delete(id(req), Preconditions.ifMatch(req), RequestOrigin.of(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void sendOrder(ServerResponse res, Status status, Order order) {
        res.header(HeaderNames.ETAG, Preconditions.etag(order.version()));
        Json.send(res, status, ApiResponse.of(order));
    }

    private static UUID id(ServerRequest req) {
        return QueryParams.uuid("id", req.path().pathParameters().get("id"));
    }
}
