package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static dev.ems.user.UserTestSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Races: parallel creates of one email, parallel PATCHes without If-Match, parallel PUTs with the same If-Match. */
class UserConcurrencyTest extends UserServiceTestBase {
    private static final int ROUNDS = 5;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void twentyParallelCreatesOfOneEmailMakeExactlyOneUser() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String email = email("race");
            List<Supplier<HttpResult>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // the same address in different cases: uniqueness is case-insensitive
                String variant = i % 2 == 0 ? email : email.toUpperCase(Locale.ROOT);
                int n = i;
                calls.add(() -> api.post(user(variant, "Racer", "No" + n)));
            }
            List<HttpResult> results = race(calls);

            List<HttpResult> created =
                    results.stream().filter(r -> r.status() == 201).toList();
            List<HttpResult> conflicts =
                    results.stream().filter(r -> r.status() == 409).toList();
            assertThat(created).as(results.toString()).hasSize(1);
            assertThat(conflicts).as(results.toString()).hasSize(19);
            conflicts.forEach(r -> {
                assertError(r, 409, "CONFLICT");
                assertThat(r.detailFields()).containsExactly("email");
            });

            HttpResult live = api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')));
            assertThat(live.meta().getInt("total_count")).isEqualTo(1);
            assertThat(live.ids()).containsExactly(created.getFirst().data().getString("id"));
        }
    }

    @Test
    void concurrentPatchesOfDifferentFieldsWithoutIfMatchBothApply() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject created = api.create(email("patch-race"), "Before", "Before");
            String id = created.getString("id");
            long initial = created.getJsonNumber("version").longValueExact();

            List<HttpResult> results = race(List.of(
                    () -> api.patch(id, body("first_name", "First")), () -> api.patch(id, body("last_name", "Last"))));

            results.forEach(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
            HttpResult after = api.getUser(id);
            JsonObject data = after.data();
            assertThat(data.getString("first_name")).isEqualTo("First");
            assertThat(data.getString("last_name")).isEqualTo("Last");
            assertThat(data.getJsonNumber("version").longValueExact()).isEqualTo(initial + 2);
            assertThat(after.header("ETag")).isEqualTo("\"" + (initial + 2) + "\"");
            assertThat(data.getString("email")).isEqualTo(created.getString("email"));
        }
    }

    @Test
    void concurrentPutsWithTheSameIfMatchLetExactlyOneWin() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject created = api.create(email("put-race"), "Orig", "Inal");
            String id = created.getString("id");
            String etag = "\"" + created.getJsonNumber("version").longValueExact() + "\"";
            String emailA = email("winner-a");
            String emailB = email("winner-b");

            List<HttpResult> results = race(List.of(
                    () -> api.put(id, user(emailA, "Alpha", "A"), "If-Match", etag),
                    () -> api.put(id, user(emailB, "Beta", "B"), "If-Match", etag)));

            List<HttpResult> ok =
                    results.stream().filter(r -> r.status() == 200).toList();
            List<HttpResult> failed =
                    results.stream().filter(r -> r.status() == 412).toList();
            assertThat(ok).as(results.toString()).hasSize(1);
            assertThat(failed).as(results.toString()).hasSize(1);
            assertError(failed.getFirst(), 412, "PRECONDITION_FAILED");

            JsonObject winner = ok.getFirst().data();
            assertThat(winner.getJsonNumber("version").longValueExact()).isEqualTo(2);
            HttpResult after = api.getUser(id);
            assertThat(after.data()).isEqualTo(winner);
            assertThat(after.header("ETag")).isEqualTo("\"2\"");
        }
    }

    /** Runs the calls on virtual threads released together by a start gate; results in call order. */
    private static List<HttpResult> race(List<Supplier<HttpResult>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResult>> futures = new ArrayList<>();
            for (Supplier<HttpResult> call : calls) {
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.get();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            start.countDown();
            List<HttpResult> results = new ArrayList<>();
            for (Future<HttpResult> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        }
    }
}
