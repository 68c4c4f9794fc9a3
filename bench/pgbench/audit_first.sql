-- GET /api/v1/audit-logs?service=S&action=A&limit=20: search-entries with
-- limit 21 (one more than the page, to know whether there is a next one), offset 0. -D service= -D action=
SELECT seq, id, event_id, occurred_at, recorded_at, service, actor, action, entity_type, entity_id, request_id,
       CAST(details AS text) AS details, client_address, user_agent, prev_hash, hash
FROM audit_entries
WHERE (CAST(:service AS text) IS NULL OR service = CAST(:service AS text))
  AND (CAST(NULL AS text) IS NULL OR actor = CAST(NULL AS text))
  AND (CAST(:action AS text) IS NULL OR action = CAST(:action AS text))
  AND (CAST(NULL AS text) IS NULL OR entity_type = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR entity_id = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR request_id = CAST(NULL AS text))
  AND (CAST(NULL AS timestamptz) IS NULL OR occurred_at >= CAST(NULL AS timestamptz))
  AND (CAST(NULL AS timestamptz) IS NULL OR occurred_at < CAST(NULL AS timestamptz))
ORDER BY occurred_at DESC, seq DESC
LIMIT 21 OFFSET 0;
