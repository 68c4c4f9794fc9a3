package dev.ems.user;

import dev.ems.core.auth.Caller;
import dev.ems.core.http.ApiResponse;
import dev.ems.core.http.Json;
import dev.ems.core.http.JsonBody;
import dev.ems.core.http.KeysetRequest;
import dev.ems.core.http.MethodNotAllowed;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Paging;
import dev.ems.core.http.Preconditions;
import dev.ems.core.http.QueryParams;
import dev.ems.core.http.RequestOrigin;
import dev.ems.core.http.WireEnums;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/users}: parse, call {@link UserService}, answer. No rules and no SQL here. */
public final class UserRoutes implements HttpService {
    public static final String PATH = "/api/v1/users";
    private static final int MAX_QUERY_LENGTH = 100;
    private static final Set<String> LIST_PARAMETERS =
            Set.of("page", "page_size", "limit", "cursor", "status", "role", "q");

    private final UserService users;

    public UserRoutes(UserService users) {
        this.users = users;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", MethodNotAllowed.allow("GET", "POST"))
                .get("/{id}", this::get)
                .put("/{id}", this::replace)
                .patch("/{id}", this::patch)
                .delete("/{id}", this::delete)
                .any("/{id}", MethodNotAllowed.allow("GET", "PUT", "PATCH", "DELETE"));
    }

    /**
     * Numbered pages by default ({@code page}, {@code page_size}, meta with counts); keyset paging when {@code limit}
     * or {@code cursor} is given ({@code meta.next_cursor}, no count, the same cost at any depth).
     */
    private void list(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        QueryParams.allowOnly(query, LIST_PARAMETERS);
        UserQuery filter = new UserQuery(
                QueryParams.oneOf(query, "status", WireEnums.wireValues(UserStatus.class)),
                QueryParams.oneOf(query, "role", WireEnums.wireValues(Role.class)),
                QueryParams.text(query, "q", MAX_QUERY_LENGTH));
        Caller caller = RequestOrigin.of(req).caller();
        if (Paging.of(query, Paging.NUMBERED) == Paging.NUMBERED) {
            Json.send(res, Status.OK_200, ApiResponse.of(users.list(filter, PageRequest.from(query), caller)));
            return;
        }
        KeysetRequest<UserCursor> page =
                KeysetRequest.from(query, UserService.DEFAULT_LIMIT, UserService.MAX_LIMIT, UserCursor.CODEC);
        Json.send(res, Status.OK_200, ApiResponse.of(users.list(filter, page, caller), UserCursor.CODEC));
    }

    private void create(ServerRequest req, ServerResponse res) {
        User user = users.create(JsonBody.read(req, UserRequest.class), RequestOrigin.of(req));
        res.header(HeaderNames.LOCATION, PATH + "/" + user.id());
        send(res, Status.CREATED_201, user);
    }

    private void get(ServerRequest req, ServerResponse res) {
        send(res, Status.OK_200, users.get(id(req), RequestOrigin.of(req).caller()));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        UserRequest body = JsonBody.read(req, UserRequest.class);
        send(res, Status.OK_200, users.replace(id, body, Preconditions.ifMatch(req), RequestOrigin.of(req)));
    }

    private void patch(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        JsonObject json = JsonBody.object(req);
        UserRequest values = JsonBody.bind(json, UserRequest.class);
        send(
                res,
                Status.OK_200,
                users.patch(id, values, json.keySet(), Preconditions.ifMatch(req), RequestOrigin.of(req)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        users.delete(id(req), Preconditions.ifMatch(req), RequestOrigin.of(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void send(ServerResponse res, Status status, User user) {
        res.header(HeaderNames.ETAG, Preconditions.etag(user.version()));
        Json.send(res, status, ApiResponse.of(user));
    }

    private static UUID id(ServerRequest req) {
        return QueryParams.uuid("id", req.path().pathParameters().get("id"));
    }
}
