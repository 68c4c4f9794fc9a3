package dev.ems.order;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Helidon test lifecycle every HTTP test class of order-service shares: a {@link UserServiceStandIn}, an
 * order-service pointed at it, both stopped after the class, and the client to call it. A test class extends this and
 * states only what differs, its settings, in a static {@code @SetUpServer} method of one line:
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

    /** The client of the running order-service, and request helpers on it. */
    Http1Client client;

    OrderTestSupport.Api api;
    /** The stand-in user-service of this class. */
    UserServiceStandIn users;
    /** order-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as order-service with {@code settings} over
     * {@link OrderTestSupport#setUp}'s defaults, pointed at a new stand-in.
     */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        fixture = Fixture.start(server, settings, false);
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
        Map<String, String> values = new HashMap<>(settings);
        values.put("server.features.observe.observers.health.details", "true");
        ResilienceSupport.forgetBreakerGauge();
        fixture = Fixture.start(server, values, true);
    }

    @BeforeEach
    void connect(Http1Client client, WebServer server) {
        this.client = client;
        this.api = new OrderTestSupport.Api(client);
        this.users = fixture.users();
        this.port = server.port();
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

    /** A stand-in and the order-service pointed at it. */
    private record Fixture(UserServiceStandIn users, OrderTestSupport.Running service, boolean observed)
            implements AutoCloseable {
        static Fixture start(WebServerConfig.Builder server, Map<String, String> settings, boolean observed) {
            UserServiceStandIn users = UserServiceStandIn.start();
            try {
                return new Fixture(users, OrderTestSupport.setUp(server, users.url(), settings), observed);
            } catch (RuntimeException | Error e) {
                users.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                service.close();
                users.close();
            } finally {
                if (observed) {
                    ResilienceSupport.forgetBreakerGauge();
                }
            }
        }
    }
}
