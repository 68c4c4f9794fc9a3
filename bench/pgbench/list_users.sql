-- GET /api/v1/users?page=P&page_size=20: sum-live-user-counts (no search), then list-users (separate autocommit statements)
-- -D offset=(P-1)*20
SELECT CAST(coalesce(sum(live), 0) AS bigint) AS total FROM live_user_counts
WHERE (CAST(NULL AS text) IS NULL OR status = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR role = CAST(NULL AS text));
SELECT id, email, first_name, last_name, phone, role, status, subject, version, created_at, updated_at
FROM users
WHERE deleted_at IS NULL
  AND (CAST(NULL AS text) IS NULL OR status = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR role = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR lower(email) LIKE CAST(NULL AS text)
       OR lower(first_name) LIKE CAST(NULL AS text) OR lower(last_name) LIKE CAST(NULL AS text))
ORDER BY created_at, id
LIMIT 20 OFFSET :offset;
