package dev.ems.audit;

import dev.ems.core.audit.AuditEvent;
import dev.ems.core.auth.Caller;
import dev.ems.core.http.ApiResponse;
import dev.ems.core.http.Json;
import dev.ems.core.http.JsonBody;
import dev.ems.core.http.KeysetRequest;
import dev.ems.core.http.MethodNotAllowed;
import dev.ems.core.http.PageRequest;
import dev.ems.core.http.Paging;
import dev.ems.core.http.QueryParams;
import dev.ems.core.http.RequestOrigin;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** {@code /api/v1/audit-logs}: parse, call {@link AuditService}, answer. Append-only: no PUT, PATCH or DELETE. */
public final class AuditRoutes implements HttpService {
    public static final String PATH = "/api/v1/audit-logs";
    private static final String APPEND_ONLY = "Audit entries are append-only for compliance: they are never changed or "
            + "deleted through the API; only the retention policy removes old entries.";
    private static final List<String> CSV_COLUMNS = List.of(
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

    private static final Set<String> FILTERS =
            Set.of("service", "actor", "action", "entity_type", "entity_id", "request_id", "trace_id", "from", "to");
    private static final Set<String> SEARCH_PARAMETERS = union(FILTERS, Set.of("limit", "cursor", "page", "page_size"));
    private static final Set<String> EXPORT_PARAMETERS = union(FILTERS, Set.of("format"));

    private final AuditService audit;

    public AuditRoutes(AuditService audit) {
        this.audit = audit;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::search)
                .post("/", this::create)
                .any("/", MethodNotAllowed.allowBecause(APPEND_ONLY, "GET", "POST"))
                .post("/batch", this::createBatch)
                .any("/batch", MethodNotAllowed.allow("POST"))
                .get("/export", this::export)
                .any("/export", MethodNotAllowed.allow("GET"))
                .get("/verify", this::verify)
                .post("/verify", this::verifyKept)
                .any("/verify", MethodNotAllowed.allow("GET", "POST"))
                .get("/checkpoint", this::checkpoint)
                .any("/checkpoint", MethodNotAllowed.allow("GET"))
                .get("/checkpoint-keys", this::checkpointKeys)
                .any("/checkpoint-keys", MethodNotAllowed.allow("GET"))
                .get("/{id}", this::get)
                .any("/{id}", MethodNotAllowed.allowBecause(APPEND_ONLY, "GET"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AuditService.Appended appended = audit.append(JsonBody.read(req, AuditEvent.class), caller(req));
        if (appended.replayed()) {
            res.header(HeaderNames.create("Idempotent-Replayed"), "true");
        }
        res.header(HeaderNames.LOCATION, PATH + "/" + appended.entry().id());
        Json.send(res, Status.CREATED_201, ApiResponse.of(appended.entry()));
    }

    private void createBatch(ServerRequest req, ServerResponse res) {
        List<AuditService.Appended> appended = audit.appendBatch(JsonBody.read(req, AuditBatch.class), caller(req));
        long created = appended.stream().filter(a -> !a.replayed()).count();
        Json.send(
                res,
                Status.CREATED_201,
                ApiResponse.of(
                        appended.stream().map(AuditService.Appended::entry).toList(),
                        new BatchMeta(appended.size(), created, appended.size() - created)));
    }

    private void get(ServerRequest req, ServerResponse res) {
        UUID id = QueryParams.uuid("id", req.path().pathParameters().get("id"));
        Json.send(res, Status.OK_200, ApiResponse.of(audit.get(id, caller(req))));
    }

    /**
     * Keyset paging by default ({@code limit}, {@code cursor}, {@code meta.next_cursor}); page numbers when
     * {@code page} or {@code page_size} is given.
     */
    private void search(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        QueryParams.allowOnly(query, SEARCH_PARAMETERS);
        AuditQuery filter = filter(query);
        if (Paging.of(query, Paging.KEYSET) == Paging.NUMBERED) {
            Json.send(
                    res, Status.OK_200, ApiResponse.of(audit.searchPage(filter, PageRequest.from(query), caller(req))));
            return;
        }
        KeysetRequest<AuditCursor> page =
                KeysetRequest.from(query, AuditService.DEFAULT_LIMIT, AuditService.MAX_LIMIT, AuditCursor.CODEC);
        Json.send(res, Status.OK_200, ApiResponse.of(audit.search(filter, page, caller(req)), AuditCursor.CODEC));
    }

    private void verify(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        QueryParams.allowOnly(query, Set.of("from", "to"));
        Json.send(
                res,
                Status.OK_200,
                ApiResponse.of(audit.verify(
                        QueryParams.timestamp(query, "from"), QueryParams.timestamp(query, "to"), caller(req))));
    }

    private void verifyKept(ServerRequest req, ServerResponse res) {
        QueryParams.allowOnly(req.query(), Set.of());
        Json.send(
                res,
                Status.OK_200,
                ApiResponse.of(audit.verify(JsonBody.read(req, Checkpoint.Kept.class), caller(req))));
    }

    private void checkpoint(ServerRequest req, ServerResponse res) {
        QueryParams.allowOnly(req.query(), Set.of());
        Json.send(res, Status.OK_200, ApiResponse.of(audit.checkpoint(caller(req))));
    }

    /** A bare JWKS document, no envelope, so that standard JOSE tools read it as it is. */
    private void checkpointKeys(ServerRequest req, ServerResponse res) {
        QueryParams.allowOnly(req.query(), Set.of());
        String keys = audit.checkpointKeys(caller(req));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(keys);
    }

    /**
     * Streams every matching entry (newest first) as NDJSON or CSV (its cells safe to open in a spreadsheet: {@link
     * SpreadsheetSafeCells}); memory stays flat whatever the size.
     */
    private void export(ServerRequest req, ServerResponse res) {
        Parameters query = req.query();
        QueryParams.allowOnly(query, EXPORT_PARAMETERS);
        String format =
                QueryParams.oneOf(query, "format", Set.of("ndjson", "csv")).orElse("ndjson");
        AuditQuery filter = filter(query);
        boolean csv = format.equals("csv");
        AuditService.Export entries = audit.export(filter, caller(req));
        res.header(HeaderNames.CONTENT_TYPE, csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"audit-logs." + format + "\"");
        try (OutputStream out = res.outputStream();
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            if (csv) {
                CSVPrinter printer = new CSVPrinter(
                        writer,
                        CSVFormat.RFC4180
                                .builder()
                                .setHeader(CSV_COLUMNS.toArray(String[]::new))
                                .get());
                entries.forEach(e -> printRecord(printer, e));
                printer.flush();
            } else {
                entries.forEach(e -> write(writer, Json.write(e) + "\n"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Caller caller(ServerRequest req) {
        return RequestOrigin.of(req).caller();
    }

    private static void printRecord(CSVPrinter printer, AuditEntry e) {
        try {
            printer.printRecord(Stream.of(
                            e.id(),
                            e.seq(),
                            e.eventId(),
                            e.occurredAt(),
                            e.recordedAt(),
                            e.service(),
                            e.actor(),
                            e.action(),
                            e.entityType(),
                            e.entityId(),
                            e.requestId(),
                            e.details(),
                            e.clientAddress(),
                            e.userAgent(),
                            e.prevHash(),
                            e.hash(),
                            e.keyId(),
                            e.traceId())
                    .map(SpreadsheetSafeCells::cell)
                    .toArray());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(Writer writer, String text) {
        try {
            writer.write(text);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static AuditQuery filter(Parameters query) {
        return new AuditQuery(
                QueryParams.text(query, "service", 64),
                QueryParams.text(query, "actor", 128),
                QueryParams.text(query, "action", 64),
                QueryParams.text(query, "entity_type", 64),
                QueryParams.text(query, "entity_id", 128),
                QueryParams.text(query, "request_id", 128),
                QueryParams.text(query, "trace_id", 32),
                QueryParams.timestamp(query, "from"),
                QueryParams.timestamp(query, "to"));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The meta of a batch answer: how many entries were new and how many were recorded already. */
    @JsonbPropertyOrder({"received", "created", "duplicates"})
    public record BatchMeta(long received, long created, long duplicates) {}
}
