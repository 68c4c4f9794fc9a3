package dev.ems.core.db;

import dev.ems.core.tracing.Tracing;
import io.helidon.dbclient.DbClientService;
import io.helidon.dbclient.DbClientServiceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * One span per SQL statement run inside a trace (a request, an outbox delivery), a child of it, named by the
 * statement's name ({@code get-user}, {@code insert-order}), never by its text, and without any parameter value: they
 * hold personal data. A statement outside any trace (the relay's polling, the retention job between runs) makes no
 * span, so background work does not flood the trace backend with roots of its own.
 */
public final class SqlSpans implements DbClientService {
    private final Tracing tracing;

    public SqlSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public DbClientServiceContext statement(DbClientServiceContext statement) {
        if (!Span.current().getSpanContext().isValid()) {
            return statement;
        }
        Span span = tracing.tracer()
                .spanBuilder(statement.statementName())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "postgresql")
                .setAttribute("db.operation.name", statement.statementType().name())
                .startSpan();
        // the result is complete when its rows are read (a query) or counted (an update); a failure ends it sooner
        statement.statementFuture().whenComplete((done, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR);
                span.end();
            }
        });
        statement.resultFuture().whenComplete((count, failure) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
        return statement;
    }
}
