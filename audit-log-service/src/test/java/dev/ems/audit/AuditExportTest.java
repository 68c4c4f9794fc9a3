package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.unique;
import static dev.ems.testing.Envelopes.assertInvalidParameter;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.JsonBodies;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** GET /api/v1/audit-logs/export: streamed NDJSON and RFC 4180 CSV, with the search filters. */
class AuditExportTest extends AuditServiceTestBase {
    private static final List<String> COLUMNS = List.of(
            "id",
            "seq",
            "event_id",
            "occurred_at",
            "recorded_at",
            "service",
            "actor",
            "action",
            "entity_type",
            "entity_id",
            "request_id",
            "details",
            "client_address",
            "user_agent",
            "prev_hash",
            "hash",
            "key_id",
            "trace_id");

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    /** Three entries of a fresh entity type, the last with details and text that need CSV quoting. */
    private List<JsonObject> seed(String type) {
        List<JsonObject> created = new ArrayList<>();
        created.add(appender.create(entry("entity_type", type, "occurred_at", "2025-04-01T01:00:00Z")));
        created.add(appender("order-service")
                .create(entry(
                        "entity_type",
                        type,
                        "occurred_at",
                        "2025-04-01T02:00:00Z",
                        "service",
                        "order-service",
                        "request_id",
                        "r-2")));
        created.add(appender.create(entry(
                "entity_type",
                type,
                "occurred_at",
                "2025-04-01T03:00:00Z",
                "details",
                parse("{\"note\":\"said \\\"hi\\\", then left\",\"list\":[1,2],\"n\":1.5}"),
                "user_agent",
                "Mozilla/5.0 (X11; Linux x86_64), \"quoted\"\r\nsecond line",
                "client_address",
                "198.51.100.1")));
        return created;
    }

    private static List<JsonObject> ndjson(String body) {
        assertThat(body).endsWith("\n");
        return body.lines().map(JsonBodies::parse).toList();
    }

    private static List<CSVRecord> csv(String body) {
        try (CSVParser parser = CSVParser.parse(
                new StringReader(body),
                CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get())) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(COLUMNS);
            return parser.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void ndjsonIsOneEntryPerLineNewestFirst() {
        String type = unique("nd");
        List<JsonObject> created = seed(type);
        HttpResult res = api.get(AUDIT + "/export?format=ndjson&entity_type=" + type);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(res.header("Content-Disposition")).contains("attachment").contains("audit-logs.ndjson");
        assertThat(ndjson(res.body())).containsExactly(created.get(2), created.get(1), created.get(0));
    }

    @Test
    void ndjsonIsTheDefaultFormat() {
        String type = unique("default");
        List<JsonObject> created = seed(type);
        HttpResult res = api.get(AUDIT + "/export?entity_type=" + type);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(ndjson(res.body())).hasSize(created.size());
    }

    @Test
    void csvHasAHeaderAndQuotesPerRfc4180() {
        String type = unique("csv");
        List<JsonObject> created = seed(type);
        HttpResult res = api.get(AUDIT + "/export?format=csv&entity_type=" + type);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.header("Content-Type")).startsWith("text/csv");
        assertThat(res.header("Content-Disposition")).contains("audit-logs.csv");
        assertThat(res.body()).startsWith(String.join(",", COLUMNS) + "\r\n");
        List<CSVRecord> records = csv(res.body());
        assertThat(records).hasSize(3);
        for (int i = 0; i < 3; i++) {
            CSVRecord record = records.get(i);
            JsonObject expected = created.get(2 - i);
            assertThat(record.size()).isEqualTo(COLUMNS.size());
            assertThat(record.get("id")).isEqualTo(expected.getString("id"));
            assertThat(Long.parseLong(record.get("seq")))
                    .isEqualTo(expected.getJsonNumber("seq").longValueExact());
            assertThat(record.get("event_id")).isEqualTo(expected.getString("event_id"));
            assertThat(record.get("occurred_at")).isEqualTo(expected.getString("occurred_at"));
            assertThat(record.get("recorded_at")).isEqualTo(expected.getString("recorded_at"));
            assertThat(record.get("service")).isEqualTo(expected.getString("service"));
            assertThat(record.get("actor")).isEqualTo(expected.getString("actor"));
            assertThat(record.get("action")).isEqualTo(expected.getString("action"));
            assertThat(record.get("entity_type")).isEqualTo(type);
            assertThat(record.get("entity_id")).isEqualTo(expected.getString("entity_id"));
            assertThat(record.get("request_id"))
                    .isEqualTo(expected.isNull("request_id") ? "" : expected.getString("request_id"));
            assertThat(parse(record.get("details"))).isEqualTo(expected.getJsonObject("details"));
            assertThat(record.get("user_agent"))
                    .isEqualTo(expected.isNull("user_agent") ? "" : expected.getString("user_agent"));
            assertThat(record.get("prev_hash")).isEqualTo(expected.getString("prev_hash"));
            assertThat(record.get("hash")).isEqualTo(expected.getString("hash"));
            assertThat(record.get("key_id"))
                    .isEqualTo(expected.getString("key_id"))
                    .isNotEmpty();
        }
        assertThat(records.getFirst().get("user_agent"))
                .isEqualTo("Mozilla/5.0 (X11; Linux x86_64), \"quoted\"\r\nsecond line");
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAsFormulasGetALeadingQuoteAndNdjsonKeepsThem() {
        String type = unique("formula");
        JsonObject created = appender.create(entry(
                "entity_type",
                type,
                "actor",
                "=HYPERLINK(\"http://evil.example\",\"click\")",
                "entity_id",
                "+41-1",
                "request_id",
                "-2+3",
                "user_agent",
                "@SUM(1+1)"));

        CSVRecord record = csv(api.get(AUDIT + "/export?format=csv&entity_type=" + type)
                        .body())
                .getFirst();
        assertThat(record.get("actor")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(record.get("entity_id")).isEqualTo("'+41-1");
        assertThat(record.get("request_id")).isEqualTo("'-2+3");
        assertThat(record.get("user_agent")).isEqualTo("'@SUM(1+1)");
        assertThat(record.get("entity_type")).as("harmless text as it is").isEqualTo(type);
        assertThat(record.get("hash")).isEqualTo(created.getString("hash"));

        JsonObject exported = ndjson(api.get(AUDIT + "/export?format=ndjson&entity_type=" + type)
                        .body())
                .getFirst();
        assertThat(exported).isEqualTo(created);
        assertThat(exported.getString("actor")).startsWith("=HYPERLINK");
    }

    @Test
    void anEmptyExportIsEmptyNdjsonOrJustTheCsvHeader() {
        String type = unique("none");
        HttpResult nd = api.get(AUDIT + "/export?entity_type=" + type);
        assertThat(nd.status()).isEqualTo(200);
        assertThat(nd.body()).isEmpty();
        HttpResult csv = api.get(AUDIT + "/export?format=csv&entity_type=" + type);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).isEqualTo(String.join(",", COLUMNS) + "\r\n");
    }

    @Test
    void exportTakesTheSearchFilters() {
        String type = unique("filtered");
        List<JsonObject> created = seed(type);
        assertThat(ndjson(api.get(AUDIT + "/export?entity_type=" + type + "&service=order-service")
                        .body()))
                .containsExactly(created.get(1));
        assertThat(ndjson(api.get(AUDIT + "/export?entity_type=" + type
                                + "&from=2025-04-01T02:00:00Z&to=2025-04-01T03:00:00Z")
                        .body()))
                .containsExactly(created.get(1));
        assertThat(csv(api.get(AUDIT + "/export?format=csv&entity_type=" + type + "&request_id=r-2")
                        .body()))
                .extracting(r -> r.get("id"))
                .containsExactly(created.get(1).getString("id"));
    }

    @Test
    void exportStreamsMoreThanOneChunkCompletelyAndInOrder() {
        String type = unique("bulk");
        int total = 1_203;
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            // many entries share an occurred_at, so chunk boundaries fall inside a run of equal timestamps
            batch.add(entry("entity_type", type, "occurred_at", "2025-04-02T00:00:0" + (i % 3) + "Z"));
            if (batch.size() == 500 || i == total - 1) {
                appender.createBatch(batch.toArray(String[]::new));
                batch.clear();
            }
        }
        List<JsonObject> lines =
                ndjson(api.get(AUDIT + "/export?entity_type=" + type).body());
        assertThat(lines).hasSize(total);
        assertThat(new HashSet<>(lines.stream().map(o -> o.getString("id")).toList()))
                .hasSize(total);
        for (int i = 1; i < lines.size(); i++) {
            String prevAt = lines.get(i - 1).getString("occurred_at");
            String at = lines.get(i).getString("occurred_at");
            assertThat(at.compareTo(prevAt))
                    .as("occurred_at order at line " + i)
                    .isLessThanOrEqualTo(0);
            if (at.equals(prevAt)) {
                assertThat(lines.get(i).getJsonNumber("seq").longValueExact())
                        .isLessThan(lines.get(i - 1).getJsonNumber("seq").longValueExact());
            }
        }
        List<CSVRecord> records =
                csv(api.get(AUDIT + "/export?format=csv&entity_type=" + type).body());
        assertThat(records).hasSize(total);
    }

    @Test
    void aFormatOtherThanNdjsonOrCsvIs400() {
        for (String bad : new String[] {"xml", "json", "CSV", "", "ndjson,csv"}) {
            HttpResult res = assertInvalidParameter(api.get(AUDIT + "/export?format=" + bad), "format");
            assertThat(res.hasHeader("Content-Disposition")).isFalse();
        }
        assertInvalidParameter(api.get(AUDIT + "/export?format=csv&format=ndjson"), "format");
        assertInvalidParameter(api.get(AUDIT + "/export?from=tomorrow"), "from");
    }
}
