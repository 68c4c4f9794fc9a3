package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.batchOf;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.http.Json;
import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.ApiCalls;
import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two audit-log-services on one database, as two replicas behind a load balancer: appends from many callers spread
 * over both make one chain (intact, seq without gaps, every event once, also when a batch is sent to both at once, as a
 * relay retrying elsewhere would), and retention started on both at the same moment purges once.
 */
class AuditReplicasTest {
    private static final int SENDERS = 8;
    private static final int BATCHES = 5;
    private static final int ENTRIES = 4;

    @Test
    void concurrentAppendsOverBothReplicasMakeOneIntactChain() throws Exception {
        String database = TestPostgres.createDatabase();
        try (Replica first = Replica.start(database);
                Replica second = Replica.start(database)) {
            // senders in pairs: both of a pair send the same batches, one to each replica, at the same time
            List<List<String>> batches = new ArrayList<>();
            Set<String> eventIds = new HashSet<>();
            for (int pair = 0; pair < SENDERS / 2; pair++) {
                for (int b = 0; b < BATCHES; b++) {
                    List<String> entries = new ArrayList<>();
                    for (int e = 0; e < ENTRIES; e++) {
                        String entry = entry();
                        entries.add(entry);
                        eventIds.add(Json.parseObject(entry).getString("event_id"));
                    }
                    batches.add(entries);
                }
            }
            String appender = TestIssuer.bearer(TestIssuer.serviceToken("user-service"));
            List<Callable<List<HttpResult>>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Replica replica = s % 2 == 0 ? first : second;
                List<List<String>> own = batches.subList((s / 2) * BATCHES, (s / 2 + 1) * BATCHES);
                senders.add(() -> {
                    Http1Client client = ApiCalls.client(replica.server().port(), appender);
                    try {
                        AuditTestSupport.Api api = new AuditTestSupport.Api(client);
                        List<HttpResult> answers = new ArrayList<>();
                        for (List<String> batch : own) {
                            answers.add(api.batch(batchOf(batch.toArray(String[]::new))));
                        }
                        return answers;
                    } finally {
                        client.closeResource();
                    }
                });
            }
            List<HttpResult> answers = new ArrayList<>();
            for (List<HttpResult> sent : atOnce(senders)) {
                answers.addAll(sent);
            }

            int total = SENDERS / 2 * BATCHES * ENTRIES;
            assertThat(answers)
                    .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
            assertThat(answers.stream()
                            .mapToInt(r -> r.meta().getInt("created"))
                            .sum())
                    .as("entries created, over both replicas")
                    .isEqualTo(total);
            assertThat(answers.stream()
                            .mapToInt(r -> r.meta().getInt("duplicates"))
                            .sum())
                    .as("the same entries sent to the other replica")
                    .isEqualTo(total);
            assertThat(scalar(database, "SELECT min(seq) || '..' || max(seq) || ' ' || count(*) FROM audit_entries"))
                    .as("seq without gaps")
                    .isEqualTo("1.." + total + " " + total);
            assertThat(TestPostgres.column(database, "SELECT CAST(event_id AS text) FROM audit_entries"))
                    .as("every event once")
                    .containsExactlyInAnyOrderElementsOf(eventIds);
            assertThat(scalar(
                            database,
                            "SELECT count(*) FROM audit_entries e JOIN audit_entries p ON p.seq = e.seq - 1"
                                    + " WHERE e.prev_hash <> p.hash"))
                    .as("no fork: each entry links to the one before")
                    .isEqualTo("0");
            assertThat(scalar(database, "SELECT seq FROM audit_chain_head")).isEqualTo(String.valueOf(total));
            assertIntact(first.admin().verify(), total);
            assertIntact(second.admin().verify(), total);
        }
    }

    @Test
    void retentionStartedOnBothReplicasAtOnceRemovesOnce() throws Exception {
        String database = TestPostgres.createDatabase();
        try (Replica first = Replica.start(database);
                Replica second = Replica.start(database)) {
            AuditTestSupport.Api appender = first.api(TestIssuer.bearer(TestIssuer.serviceToken("user-service")));
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 5; i++) {
                    appender.create(entry());
                }
                Thread.sleep(5);
                Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS);
                long expected = Long.parseLong(
                        scalar(database, "SELECT count(*) FROM audit_entries WHERE recorded_at < '" + cutoff + "'"));

                List<Long> purged = atOnce(List.of(
                        () -> first.service().purgeRecordedBefore(cutoff),
                        () -> second.service().purgeRecordedBefore(cutoff)));

                assertThat(purged).as("round " + round).containsExactlyInAnyOrder(expected, 0L);
                assertThat(scalar(database, "SELECT count(*) FROM audit_checkpoints"))
                        .as("one checkpoint per purge")
                        .isEqualTo(String.valueOf(round));
                assertThat(scalar(
                                database, "SELECT count(*) FROM audit_entries WHERE actor = '" + Retention.ACTOR + "'"))
                        .as("the purge in the trail, once (earlier rounds' purge entries purged since)")
                        .isEqualTo("1");
                assertIntact(first.admin().verify(), 1);
                assertIntact(second.admin().verify(), 1);
            }
        }
    }

    /** Runs {@code tasks} on threads of their own, released together; returns their results in order. */
    private static <T> List<T> atOnce(List<Callable<T>> tasks) throws Exception {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                    return task.call();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /** One replica: audit-log-service on the shared database. */
    private record Replica(ServiceRuntime runtime, AuditService service, WebServer server, List<Http1Client> clients)
            implements AutoCloseable {
        static Replica start(String database) {
            ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, AuditTestSupport.config(database, Map.of()));
            WebServerConfig.Builder builder = WebServer.builder().port(0).host("localhost");
            AuditService service = AuditTestSupport.setUp(builder, runtime);
            return new Replica(runtime, service, builder.build().start(), new ArrayList<>());
        }

        /** Request helpers on this replica acting as {@code authorization}; closed with the replica. */
        AuditTestSupport.Api api(String authorization) {
            Http1Client client = ApiCalls.client(server.port(), authorization);
            clients.add(client);
            return new AuditTestSupport.Api(client);
        }

        AuditTestSupport.Api admin() {
            return api(TestIssuer.bearer(TestIssuer.adminToken()));
        }

        @Override
        public void close() {
            clients.forEach(Http1Client::closeResource);
            server.stop();
            runtime.close();
        }
    }
}
