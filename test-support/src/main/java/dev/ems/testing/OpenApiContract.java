package dev.ems.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Contract checks of the services' tests: every exchange that goes through {@link ApiCalls} (and every response
 * {@link RawHttp} reads) is checked against the OpenAPI document of the service, with Atlassian's
 * swagger-request-validator.
 *
 * <p>The documents are the assembled {@code META-INF/openapi.yaml} files on the test classpath (an EMS document is
 * one with the shared {@code components.schemas.ErrorEnvelope}). The service under test is the module whose tests
 * run: its document is the one in a directory below the module's base directory ({@code target/classes});
 * documents in jars (e.g. user-service's lib jar in order-service's tests) are other services'. An exchange is
 * checked against the first document that documents its path and method, the own one first:
 * <ul>
 *     <li>the response always: its status must be documented for the operation, its headers and body must match
 *     (the schemas forbid undocumented fields with {@code additionalProperties: false}); a documented response
 *     marked {@code x-body-optional: true} may also come without any body;</li>
 *     <li>the request too when the service accepted it (2xx): an accepted request must be a documented one,
 *     undocumented query parameters included, and carry the credentials its security requirement names. Requests
 *     answered 4xx or 5xx are negative tests and are not request-validated.</li>
 * </ul>
 * An exchange on a path or method no document has (404/405 tests) must be answered with an error status and an
 * {@code ErrorEnvelope}. CORS preflights (OPTIONS with Access-Control-Request-Method) are not operations of the
 * documents and are skipped unless a document has them.
 *
 * <p>The checks are on in a module whose own assembled document is on the classpath, and off otherwise (a service
 * without a document yet) or while the service is listed in {@link #PENDING} (known violations being fixed).
 * {@code -Dems.contract=off} turns them off everywhere (to tell contract failures from others while debugging; never
 * in CI); {@code -Dems.contract=all} also checks the pending services.
 */
public final class OpenApiContract {
    static final String RESOURCE = "META-INF/openapi.yaml";
    private static final String ERROR_ENVELOPE = "ErrorEnvelope";
    private static final String EMPTY_BODY = "validation.response.body.missing";
    /** The extension of a documented response that may also come without a body. */
    static final String BODY_OPTIONAL = "x-body-optional";
    /**
     * Services whose own exchanges are not checked yet although their document exists, because their tests show
     * contract violations the document's or the service's authors still have to fix (document title -> why). Remove
     * an entry once its violations are fixed; {@code -Dems.contract=all} checks these services too, to see them.
     */
    private static final Map<String, String> PENDING = Map.of();

    private static volatile OpenApiContract instance;

    private final Document own;
    private final List<Document> documents;

    private OpenApiContract(Document own, List<Document> documents) {
        this.own = own;
        this.documents = documents;
    }

    /** The contract of the tests running in this JVM (loaded once). */
    public static OpenApiContract get() {
        OpenApiContract c = instance;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                c = instance;
                if (c == null) {
                    c = load();
                    instance = c;
                }
            }
        }
        return c;
    }

    /** Whether exchanges are checked: the module under test has its own document (and checks are not turned off). */
    public boolean enabled() {
        String mode = System.getProperty("ems.contract", "on");
        return own != null
                && !"off".equalsIgnoreCase(mode)
                && (!PENDING.containsKey(own.title) || "all".equalsIgnoreCase(mode));
    }

    /** The title of the own document (null when none). */
    public String service() {
        return own == null ? null : own.title;
    }

    /** Every EMS document on the classpath, the own one first. */
    public List<Document> documents() {
        return documents;
    }

    /**
     * Checks one exchange and throws an AssertionError with the validator's report when it breaks the contract.
     *
     * @param method   the HTTP method
     * @param path     the request path, without the query
     * @param query    the decoded query parameters (names to values, in order)
     * @param headers  the request headers the test set (name/value pairs); null: do not validate the request
     * @param body     the request body, or null
     * @param response the response
     */
    public void check(
            String method,
            String path,
            Map<String, List<String>> query,
            String[] headers,
            String body,
            HttpResult response) {
        if (!enabled()) {
            return;
        }
        String verb = method.toUpperCase(Locale.ROOT);
        Request.Method m = requestMethod(verb);
        SimpleResponse res = response(response);
        for (Document d : documents) {
            if (m == null || !d.hasOperation(path, verb)) {
                continue;
            }
            ValidationReport report = d.validator.validateResponse(path, m, res);
            if (headers != null && response.status() >= 200 && response.status() < 300) {
                report = report.merge(d.validator.validateRequest(request(m, path, query, headers, body)));
            }
            report = withoutEmptyTextBodyMissing(report, response);
            report = withoutOptionalBodyMissing(report, response, d.response(path, verb, response.status()));
            if (report.hasErrors()) {
                throw new AssertionError(
                        "OpenAPI contract of " + d.title + " broken by " + verb + " " + path + query(query)
                                + " -> " + response.status() + ":\n"
                                + SimpleValidationReportFormat.getInstance().apply(report)
                                + "\nrequest body: " + body + "\nresponse: " + response);
            }
            return;
        }
        // no document has this operation: a 404/405 (or an earlier refusal) answered with the shared error envelope
        if ("OPTIONS".equals(verb) && headers != null && header(headers, "Access-Control-Request-Method") != null) {
            return;
        }
        String prefix = "OpenAPI contract of " + own.title + ": " + verb + " " + path + query(query)
                + " is no documented operation, ";
        if (response.status() < 400) {
            throw new AssertionError(prefix + "so it must be answered with an error, not " + response);
        }
        checkErrorEnvelope(prefix, response);
    }

    /**
     * Checks only the response of an exchange whose request may be malformed on purpose ({@link RawHttp}): the
     * request is never validated, whatever the status.
     */
    public void checkResponse(String method, String path, Map<String, List<String>> query, HttpResult response) {
        check(method, path, query, null, null, response);
    }

    private void checkErrorEnvelope(String prefix, HttpResult response) {
        String type = response.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(ApiCalls.JSON)) {
            throw new AssertionError(prefix + "so it must be answered with a JSON ErrorEnvelope, not " + response);
        }
        ValidationReport report = own.envelope.validate(response.body(), own.errorEnvelope, "validation.response.body");
        if (report.hasErrors()) {
            throw new AssertionError(prefix + "and its answer is no ErrorEnvelope of " + own.title + ":\n"
                    + SimpleValidationReportFormat.getInstance().apply(report) + "\nresponse: " + response);
        }
    }

    /**
     * An empty body of a non-JSON type (e.g. an NDJSON export of nothing) is an empty text, which the validator
     * takes for a missing body; an empty JSON body stays missing.
     */
    private static ValidationReport withoutEmptyTextBodyMissing(ValidationReport report, HttpResult response) {
        String type = response.header("Content-Type");
        String media = type == null
                ? ""
                : type.toLowerCase(Locale.ROOT).split(";", -1)[0].trim();
        if (!response.body().isEmpty() || media.isEmpty() || media.equals(ApiCalls.JSON) || media.endsWith("+json")) {
            return report;
        }
        return ValidationReport.from(report.getMessages().stream()
                .filter(msg -> !EMPTY_BODY.equals(msg.getKey()))
                .toList());
    }

    /**
     * A documented response marked {@value #BODY_OPTIONAL} may come without a body at all, as well as with the content
     * it documents (the 403 of Helidon's CORS support has none, a 403 FORBIDDEN of the API has an envelope).
     */
    private static ValidationReport withoutOptionalBodyMissing(
            ValidationReport report, HttpResult response, Optional<ApiResponse> documented) {
        boolean optional = documented
                .map(ApiResponse::getExtensions)
                .map(extensions -> Boolean.TRUE.equals(extensions.get(BODY_OPTIONAL)))
                .orElse(false);
        if (!optional || !response.body().isEmpty()) {
            return report;
        }
        return ValidationReport.from(report.getMessages().stream()
                .filter(msg -> !EMPTY_BODY.equals(msg.getKey()))
                .toList());
    }

    private static Request.Method requestMethod(String verb) {
        try {
            return Request.Method.valueOf(verb);
        } catch (IllegalArgumentException e) {
            return null; // e.g. a custom method: no document can have it
        }
    }

    private static SimpleRequest request(
            Request.Method m, String path, Map<String, List<String>> query, String[] headers, String body) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(m, path);
        query.forEach(b::withQueryParam);
        for (int i = 0; i < headers.length; i += 2) {
            b.withHeader(headers[i], headers[i + 1]);
        }
        if (body != null) {
            b.withBody(body);
        }
        return b.build();
    }

    private static SimpleResponse response(HttpResult response) {
        SimpleResponse.Builder b = new SimpleResponse.Builder(response.status());
        response.headers().forEach(b::withHeader);
        if (!response.body().isEmpty()) {
            b.withBody(response.body());
        }
        return b.build();
    }

    private static String header(String[] headers, String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    private static String query(Map<String, List<String>> query) {
        return query.isEmpty() ? "" : "?" + query;
    }

    // ---------------------------------------------------------------- loading

    /** A contract of the given documents, {@code own} first (for tests of the checks themselves). */
    static OpenApiContract of(URL own, URL... others) throws IOException {
        List<Document> all = new ArrayList<>();
        all.add(Document.load(own));
        for (URL url : others) {
            all.add(Document.load(url));
        }
        return new OpenApiContract(all.getFirst(), List.copyOf(all));
    }

    private static OpenApiContract load() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath()
                .normalize();
        Document own = null;
        List<Document> others = new ArrayList<>();
        try {
            for (URL url :
                    Collections.list(OpenApiContract.class.getClassLoader().getResources(RESOURCE))) {
                Document d = Document.load(url);
                if (d == null) {
                    continue;
                }
                if (own == null
                        && "file".equals(url.getProtocol())
                        && Path.of(url.toURI()).startsWith(base)) {
                    own = d;
                } else {
                    others.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Document> all = new ArrayList<>();
        if (own != null) {
            all.add(own);
        }
        all.addAll(others);
        OpenApiContract contract = new OpenApiContract(own, List.copyOf(all));
        System.out.println(
                own == null
                        ? "OpenAPI contract checks off: no assembled " + RESOURCE + " of this module (" + base + ")"
                        : contract.enabled()
                                ? "OpenAPI contract checks on: " + own + (others.isEmpty() ? "" : ", also " + others)
                                : "OpenAPI contract checks off for " + own + ": "
                                        + PENDING.getOrDefault(own.title, "-Dems.contract=off"));
        return contract;
    }

    /** One service's document, ready to validate. */
    public static final class Document {
        private final URL url;
        private final String title;
        private final OpenApiInteractionValidator validator;
        private final SchemaValidator envelope;
        private final Schema<?> errorEnvelope;
        private final OpenAPI api;

        private Document(
                URL url,
                String title,
                OpenApiInteractionValidator validator,
                SchemaValidator envelope,
                Schema<?> errorEnvelope,
                OpenAPI api) {
            this.api = api;
            this.url = url;
            this.title = title;
            this.validator = validator;
            this.envelope = envelope;
            this.errorEnvelope = errorEnvelope;
        }

        public URL url() {
            return url;
        }

        public String title() {
            return title;
        }

        /** The document at {@code url} when it is an EMS document (it has the shared ErrorEnvelope), else null. */
        static Document load(URL url) throws IOException {
            String text;
            try (InputStream in = url.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIParser().readContents(text, null, options);
            OpenAPI api = parsed.getOpenAPI();
            if (api == null
                    || api.getComponents() == null
                    || api.getComponents().getSchemas() == null
                    || !api.getComponents().getSchemas().containsKey(ERROR_ENVELOPE)) {
                return null;
            }
            LevelResolver levels = LevelResolver.create()
                    // the documents close their schemas themselves (additionalProperties: false); the validator's own
                    // injection of additionalProperties: false into every open object schema breaks allOf refinements
                    // (ErrorEnvelope + a code enum), see the validator's FAQ
                    .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                    // an accepted request with a query parameter the operation does not document is a contract breach
                    .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                    .build();
            OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(text)
                    .withLevelResolver(levels)
                    .build();
            Schema<?> ref = new Schema<>().$ref("#/components/schemas/" + ERROR_ENVELOPE);
            String title = api.getInfo() == null
                    ? new File(url.getPath()).getName()
                    : api.getInfo().getTitle();
            return new Document(url, title, validator, new SchemaValidator(api, new MessageResolver(levels)), ref, api);
        }

        /**
         * Whether the document has {@code method} on the path {@code path} resolves to. As OpenAPI says, a concrete
         * path wins over a templated one whatever the method (GET /x/batch is GET on /x/batch, not on /x/{id}); the
         * validator itself would fall back to /x/{id} when /x/batch has no GET.
         */
        boolean hasOperation(String path, String method) {
            return operation(path, method).isPresent();
        }

        /** The documented response of {@code method} on {@code path} for {@code status} (its reference resolved). */
        Optional<ApiResponse> response(String path, String method, int status) {
            return operation(path, method)
                    .map(Operation::getResponses)
                    .map(responses -> responses.get(String.valueOf(status)))
                    .map(response -> response.get$ref() == null
                            ? response
                            : api.getComponents()
                                    .getResponses()
                                    .get(response.get$ref()
                                            .substring(response.get$ref().lastIndexOf('/') + 1)));
        }

        private Optional<Operation> operation(String path, String method) {
            String[] segments = path.split("/", -1);
            String best = null;
            int bestTemplates = Integer.MAX_VALUE;
            for (String candidate : api.getPaths().keySet()) {
                String[] parts = candidate.split("/", -1);
                if (parts.length != segments.length) {
                    continue;
                }
                int templates = 0;
                boolean match = true;
                for (int i = 0; i < parts.length && match; i++) {
                    if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                        templates++;
                        match = !segments[i].isEmpty();
                    } else {
                        match = parts[i].equals(segments[i]);
                    }
                }
                if (match && templates < bestTemplates) {
                    best = candidate;
                    bestTemplates = templates;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(api.getPaths()
                        .get(best)
                        .readOperationsMap()
                        .get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return title + " (" + url + ")";
        }
    }
}
