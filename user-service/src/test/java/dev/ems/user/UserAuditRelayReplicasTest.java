package dev.ems.user;

import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestPostgres;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of user-service on one database, both relaying the audit outbox, in batches of two, to a slow
 * audit-log-service that comes back to a backlog: every event reaches the trail once, and each user's in the order it
 * happened (create, update, update, delete), whichever replica made the change and whichever relay delivered it.
 */
class UserAuditRelayReplicasTest {
    private static final int USERS = 10;

    @Test
    void everyEventReachesTheTrailOnceAndEachUsersInTheOrderItHappened() {
        String database = TestPostgres.createDatabase();
        try (AuditServiceStandIn trail = AuditServiceStandIn.start();
                UserReplica first = UserReplica.start(database, trail.url());
                UserReplica second = UserReplica.start(database, trail.url())) {
            // one user after the other, so that each user's events are neighbours in the outbox: in batches of two,
            // two relays delivering at once would each send half of a user's life
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                ids.add(lifecycle(first.api(), second.api()));
            }
            assertThat(TestPostgres.column(database, "SELECT count(*) FROM audit_outbox"))
                    .as("the backlog, while audit-log-service is away")
                    .containsExactly(String.valueOf(USERS * 4));

            trail.comeBack();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestPostgres.column(database, "SELECT count(*) FROM audit_outbox")
                            .equals(List.of("0")));

            List<JsonObject> recorded = trail.recorded();
            assertThat(recorded)
                    .extracting(e -> e.getString("event_id"))
                    .as("each event once")
                    .doesNotHaveDuplicates()
                    .hasSize(USERS * 4);
            for (String id : ids) {
                assertThat(recorded.stream()
                                .filter(e -> e.getString("entity_id").equals(id))
                                .map(UserAuditRelayReplicasTest::step))
                        .as("the events of user " + id + " in the trail")
                        .containsExactly("create active", "update inactive", "update suspended", "delete");
            }
        }
    }

    /** A user's life, each change on the other replica than the one before; returns its id. */
    private static String lifecycle(UserTestSupport.Api one, UserTestSupport.Api other) {
        String id = one.create(user(email("relay"), "Relay", "Replica")).getString("id");
        assertOk(other.patch(id, body("status", "inactive")), 200);
        assertOk(one.patch(id, body("status", "suspended")), 200);
        assertOk(other.delete(id), 204);
        return id;
    }

    private static void assertOk(HttpResult res, int status) {
        assertThat(res.status()).as(res.toString()).isEqualTo(status);
    }

    /** An event as "action status-after" ("delete" alone: it has no after). */
    private static String step(JsonObject event) {
        JsonObject after = event.getJsonObject("details").getJsonObject("after");
        return after == null ? event.getString("action") : event.getString("action") + " " + after.getString("status");
    }
}
