-- GET /api/v1/users?limit=20&cursor=C (keyset mode): list-users-after with limit 21; no count
-- -D after_created_at= -D after_id=
SELECT id, email, first_name, last_name, phone, role, status, subject, version, created_at, updated_at
FROM users
WHERE deleted_at IS NULL
  AND (created_at, id) > (CAST(:after_created_at AS timestamptz), CAST(:after_id AS uuid))
  AND (CAST(NULL AS text) IS NULL OR status = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR role = CAST(NULL AS text))
  AND (CAST(NULL AS text) IS NULL OR lower(email) LIKE CAST(NULL AS text)
       OR lower(first_name) LIKE CAST(NULL AS text) OR lower(last_name) LIKE CAST(NULL AS text))
ORDER BY created_at, id
LIMIT 21;
