-- The trace of the change that wrote an event (its W3C traceparent; NULL outside a trace), so that the relay delivers
-- it inside that trace: a tracing UI shows the delivery in the change's trace, though it happens later.
ALTER TABLE audit_outbox ADD COLUMN traceparent text;
