-- The W3C trace of the request that made the change (issue 16): from an entry an operator reaches the trace, and from a
-- trace the entries (?trace_id=). NULL: recorded outside a trace, or before trace ids were recorded.
ALTER TABLE audit_entries ADD COLUMN trace_id text;
CREATE INDEX audit_entries_trace_idx ON audit_entries (trace_id, occurred_at DESC, seq DESC);
