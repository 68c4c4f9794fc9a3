package dev.ems.order;

import dev.ems.localissuer.LocalIssuer;
import dev.ems.testing.TestClients;
import dev.ems.testing.TestIssuer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Helidon test lifecycle every HTTP test class of order-service shares: a {@link UserServiceStandIn}, an
 * order-service pointed at it and trusting the tests' issuer (or the class's own), both stopped after the class, and the
 * clients to call it: as the tests' default caller, an admin ({@link #api}), or as any other ({@link #api(String)},
 * {@link #anonymousApi()}). A test class extends this and states only what differs, its settings, in a static
 * {@code @SetUpServer} method of one line:
 * <pre>{@code
 * class OrderSomethingTest extends OrderServiceTestBase {
 *     @SetUpServer
 *     static void server(WebServerConfig.Builder server) {
 *         start(server, Map.of("circuit.breaker.volume", "1000"));
 *     }
 * }
 * }</pre>
 * Helidon calls {@code @SetUpServer} methods statically with nothing but the server builder, so each class declares
 * its own (one here could not learn the class's settings); it finds them, and the {@code @AfterStop} below, along the
 * class hierarchy, and {@code @ServerTest} is inherited. Every test class gets its own stand-in, database and
 * {@link UserClient} (so its own breaker). The running class's fixture is held statically here, which is sound
 * because test classes run one at a time (the JVM-wide metrics registry requires that anyway, see
 * {@link ResilienceSupport}).
 */
@ServerTest
abstract class OrderServiceTestBase {
    private static Fixture fixture;
    private TestClients clients;

    /**
     * A client of the running order-service acting as the tests' default caller, an admin of {@link #issuer} (it sends
     * {@link #bearer} with every request), and request helpers on it.
     */
    Http1Client client;

    OrderTestSupport.Api api;
    /** The stand-in user-service of this class. */
    UserServiceStandIn users;
    /** order-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;
    /** The default caller's {@code Authorization} header value, for raw requests ({@code RawHttp}). */
    String bearer;
    /** The issuer the running service trusts: the tests' shared one, unless the class started its own. */
    LocalIssuer issuer;

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as order-service with {@code settings} over
     * {@link OrderTestSupport#setUp}'s defaults, pointed at a new stand-in.
     */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        fixture = Fixture.start(server, TestIssuer.shared(), settings, false);
    }

    /**
     * {@link #start(WebServerConfig.Builder, Map)} with the service trusting {@code own}, the class's own issuer
     * ({@code TestIssuer.start()}: for a class that changes its issuer), which is closed with the class.
     */
    static void start(WebServerConfig.Builder server, LocalIssuer own, Map<String, String> settings) {
        fixture = Fixture.start(server, own, settings, false);
    }

    static void start(WebServerConfig.Builder server) {
        start(server, Map.of());
    }

    /**
     * {@link #start}, for the resilience tests, that read the breaker and bulkhead as an operator does: /health shows
     * the checks' details, and the breaker-state gauge is forgotten before and after the class so that it follows
     * this class's breaker (see {@link ResilienceSupport}).
     */
    static void startObserved(WebServerConfig.Builder server, Map<String, String> settings) {
        startObserved(server, TestIssuer.shared(), settings);
    }

    /** {@link #startObserved(WebServerConfig.Builder, Map)} with the service trusting {@code own}, closed with the class. */
    static void startObserved(WebServerConfig.Builder server, LocalIssuer own, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("server.features.observe.observers.health.details", "true");
        ResilienceSupport.forgetBreakerGauge();
        fixture = Fixture.start(server, own, values, true);
    }

    @BeforeEach
    void connect(WebServer server) {
        this.port = server.port();
        this.issuer = fixture.issuer();
        this.bearer = TestIssuer.bearer(TestIssuer.adminToken(issuer));
        this.clients = new TestClients(port);
        this.client = clients.as(bearer);
        this.api = new OrderTestSupport.Api(client);
        this.users = fixture.users();
    }

    /**
     * Request helpers acting as another caller: their client sends {@code authorization} (an {@code Authorization}
     * header value, {@code TestIssuer.bearer(TestIssuer.token("alice", "user"))}) with every request; closed after
     * the test.
     */
    OrderTestSupport.Api api(String authorization) {
        return new OrderTestSupport.Api(clients.as(authorization));
    }

    /** Request helpers sending no {@code Authorization} at all, an anonymous caller; closed after the test. */
    OrderTestSupport.Api anonymousApi() {
        return new OrderTestSupport.Api(clients.anonymous());
    }

    /** The running service's database, for SQL behind the API ({@code TestPostgres.column}). */
    static String database() {
        return fixture.service()
                .runtime()
                .config()
                .get("order.service.db.name")
                .asString()
                .get();
    }

    /** The default caller's {@code Authorization} header line, for the head of a raw request ({@code RawHttp}). */
    String authorization() {
        return "Authorization: " + bearer + "\r\n";
    }

    @AfterEach
    void disconnect() {
        clients.close();
    }

    /** Safe when the start failed half way. */
    @AfterStop
    public static void stop() {
        Fixture stopping = fixture;
        fixture = null;
        if (stopping != null) {
            stopping.close();
        }
    }

    /** A stand-in and the order-service pointed at it, trusting {@code issuer} (closed with it unless shared). */
    private record Fixture(
            UserServiceStandIn users, OrderTestSupport.Running service, LocalIssuer issuer, boolean observed)
            implements AutoCloseable {
        static Fixture start(
                WebServerConfig.Builder server, LocalIssuer issuer, Map<String, String> settings, boolean observed) {
            UserServiceStandIn users = UserServiceStandIn.start();
            try {
                Map<String, String> values = new HashMap<>(TestIssuer.settings(issuer, Main.SERVICE));
                values.putAll(settings);
                return new Fixture(users, OrderTestSupport.setUp(server, users.url(), values), issuer, observed);
            } catch (RuntimeException | Error e) {
                users.close();
                closeOwn(issuer);
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                service.close();
                users.close();
            } finally {
                closeOwn(issuer);
                if (observed) {
                    ResilienceSupport.forgetBreakerGauge();
                }
            }
        }

        private static void closeOwn(LocalIssuer issuer) {
            if (issuer != TestIssuer.shared()) {
                issuer.close();
            }
        }
    }
}
